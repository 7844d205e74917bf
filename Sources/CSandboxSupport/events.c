#define _GNU_SOURCE
#include "CSandboxSupportEvents.h"

#include <fcntl.h>
#include <sys/epoll.h>
#include <unistd.h>

int swiftlet_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC);
}

int swiftlet_epoll_create(void) {
    return epoll_create1(EPOLL_CLOEXEC);
}

int swiftlet_epoll_add(int epfd, int fd) {
    struct epoll_event event = { .events = EPOLLIN, .data.fd = fd };
    return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &event);
}

int swiftlet_epoll_remove(int epfd, int fd) {
    return epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL);
}

int swiftlet_epoll_wait(int epfd, int *fds, int max) {
    struct epoll_event events[64];
    if (max > 64) max = 64;
    int n = epoll_wait(epfd, events, max, -1);
    for (int i = 0; i < n; i++) fds[i] = events[i].data.fd;
    return n;
}
