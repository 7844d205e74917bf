#ifndef CSANDBOXSUPPORT_H
#define CSANDBOXSUPPORT_H

#include <sys/types.h>
#include <stddef.h>
#include "CSandboxSupportEvents.h"

/// Receives one message from a unix stream socket: payload into buf (*len bytes, 0 at EOF) and an
/// SCM_RIGHTS descriptor into *fd (-1 when none). Returns 0, or -1 with errno set.
/* Receives a message and up to `max` file descriptors passed with it (SCM_RIGHTS); `count` says how many. */
int swiftlet_recv_fds(int sock, char *buf, size_t cap, ssize_t *len, int *fds, int max, int *count);

/* Sends one byte with one file descriptor (SCM_RIGHTS) on a unix stream socket. Returns 0, or -1 with errno set. */
int swiftlet_send_fd(int sock, char byte, int fd);

/// pidfd_open(2); -1 with errno on failure.
int swiftlet_pidfd_open(pid_t pid);

/// Spawns path with fd 0/1/2 from the given descriptors and control_fd as fd 3, every other descriptor
/// closed, signal mask and dispositions reset. Returns 0 or an errno value.
int swiftlet_spawn(const char *path, char *const argv[], char *const envp[], int stdin_fd, int stdout_fd,
                   int stderr_fd, int control_fd, pid_t *pid);

/// Bytes waiting to be read in a pipe (FIONREAD), -1 on error.
int swiftlet_pipe_pending(int fd);

#endif
