#ifndef CSANDBOXSUPPORT_EVENTS_H
#define CSANDBOXSUPPORT_EVENTS_H

/// pipe2(fds, O_CLOEXEC); 0 or -1 with errno.
int swiftlet_pipe_cloexec(int fds[2]);

/// An epoll instance (close-on-exec); -1 with errno.
int swiftlet_epoll_create(void);
/// Watches fd for readability; 0 or -1.
int swiftlet_epoll_add(int epfd, int fd);
int swiftlet_epoll_remove(int epfd, int fd);
/// Waits (forever) for readable descriptors; writes up to max of them to fds and returns how many, -1 on error.
int swiftlet_epoll_wait(int epfd, int *fds, int max);

#endif
