/*
 * SnapStart in the launcher: a template's fork channel and a copy's launcher (see snapstart.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "seccomp.h"
#include "snapstart.h"

int template_channel = -1;

/* How long a copy's first processes may take for each step before the copy is given up. */
#define STEP_TIMEOUT_MS 5000

int template_handover(int channel) {
    if (dup2(channel, 3) < 0) {
        dprintf(STDERR_FILENO, "swiftlet-sandbox: template channel: %s\n", strerror(errno));
        return -1;
    }
    struct sock_filter insns[SWIFTLET_SECCOMP_MAX];
    int n = swiftlet_seccomp_build_for(insns, SWIFTLET_SECCOMP_MAX, 0);
    int memfd = (int)syscall(SYS_memfd_create, "swiftlet-seccomp", 0);
    if (n < 0 || memfd < 0 || write(memfd, insns, (size_t)n * sizeof *insns) != (ssize_t)((size_t)n * sizeof *insns) ||
        lseek(memfd, 0, SEEK_SET) < 0 || (memfd != 4 && dup2(memfd, 4) < 0)) {
        dprintf(STDERR_FILENO, "swiftlet-sandbox: the copies' filter: %s\n", strerror(errno));
        return -1;
    }
    setenv("_SWIFTLET_TEMPLATE_FD", "3", 1);
    setenv("_SWIFTLET_SECCOMP_FD", "4", 1);
    return 0;
}

/* sendmsg of `text` with up to two descriptors. */
static int send_with(int sock, const char *text, size_t length, const int *fds, int nfds) {
    struct iovec iov = { .iov_base = (void *)text, .iov_len = length };
    union { struct cmsghdr align; char data[CMSG_SPACE(sizeof(int) * 2)]; } control;
    memset(&control, 0, sizeof control);
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
    if (nfds > 0) {
        msg.msg_control = control.data;
        msg.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)nfds);
        struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)nfds);
        memcpy(CMSG_DATA(c), fds, sizeof(int) * (size_t)nfds);
    }
    ssize_t n;
    do { n = sendmsg(sock, &msg, MSG_NOSIGNAL); } while (n < 0 && errno == EINTR);
    return n == (ssize_t)length ? 0 : -1;
}

/* recvmsg into buf (NUL-terminated) with up to max descriptors, waiting at most timeout_ms (-1: forever).
 * Returns the bytes read (0 at the end, -1 on error or timeout). */
static ssize_t receive_with(int sock, char *buf, size_t cap, int *fds, int max, int *count, int timeout_ms) {
    *count = 0;
    struct pollfd pfd = { .fd = sock, .events = POLLIN };
    int ready;
    do { ready = poll(&pfd, 1, timeout_ms); } while (ready < 0 && errno == EINTR);
    if (ready <= 0) return -1;
    struct iovec iov = { .iov_base = buf, .iov_len = cap - 1 };
    union { struct cmsghdr align; char data[CMSG_SPACE(sizeof(int) * 4)]; } control;
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.data, .msg_controllen = sizeof control.data };
    ssize_t n;
    do { n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC); } while (n < 0 && errno == EINTR);
    if (n < 0) return -1;
    buf[n] = '\0';
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
        int k = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
        int *passed = (int *)CMSG_DATA(c);
        for (int i = 0; i < k; i++) {
            if (*count < max) fds[(*count)++] = passed[i];
            else close(passed[i]);
        }
    }
    return n;
}

ssize_t read_command(char *c, int *fd) {
    int count = 0;
    char buf[2];
    *fd = -1;
    /* one byte at a time: what follows a command (a specialisation's line) is read by its handler */
    struct iovec iov = { .iov_base = buf, .iov_len = 1 };
    union { struct cmsghdr align; char data[CMSG_SPACE(sizeof(int))]; } control;
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.data, .msg_controllen = sizeof control.data };
    ssize_t n;
    do { n = recvmsg(CONTROL_FD, &msg, MSG_CMSG_CLOEXEC); } while (n < 0 && errno == EINTR);
    for (struct cmsghdr *h = CMSG_FIRSTHDR(&msg); n > 0 && h; h = CMSG_NXTHDR(&msg, h)) {
        if (h->cmsg_level == SOL_SOCKET && h->cmsg_type == SCM_RIGHTS && count == 0) {
            memcpy(fd, CMSG_DATA(h), sizeof(int));
            count = 1;
        }
    }
    if (n > 0) *c = buf[0];
    return n;
}

void template_fork(int channel, int fd) {
    if (fd < 0) return;
    (void)send_with(channel, "C", 1, &fd, 1);
    close(fd);
}

int template_relay(int channel) {
    char buf[64];
    ssize_t n;
    do { n = read(channel, buf, sizeof buf); } while (n < 0 && errno == EINTR);
    if (n <= 0) {
        if (write(CONTROL_FD, "X\n", 2) < 0) { /* the server is gone too */ }
        return -1;
    }
    for (ssize_t i = 0; i < n; i++) {
        if (buf[i] == 'T' && write(CONTROL_FD, "T\n", 2) < 0) return -1;
    }
    return 0;
}

/* Reads a small /proc file into text (NUL-terminated); 0, or -1. */
static int read_proc(const char *path, char *text, size_t cap) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n = read(fd, text, cap - 1);
    close(fd);
    if (n <= 0) return -1;
    text[n] = '\0';
    return 0;
}

/* The pid (in this launcher's namespace) behind a pidfd, from its fdinfo. */
static pid_t pid_of(int pidfd) {
    char path[64], text[1024];
    snprintf(path, sizeof path, "/proc/self/fdinfo/%d", pidfd);
    if (read_proc(path, text, sizeof text) != 0) return -1;
    char *line = strstr(text, "\nPid:");
    return line ? (pid_t)strtol(line + 5, NULL, 10) : -1;
}

/* Reads a "Name:\t<value>" field of /proc/<pid>/status; 0, or -1 when it is missing. */
static int status_field(pid_t pid, const char *name, char *value, size_t cap) {
    char path[64], text[8192];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    if (read_proc(path, text, sizeof text) != 0) return -1;
    char key[64];
    snprintf(key, sizeof key, "\n%s:", name);
    char *at = strstr(text, key);
    if (!at) return -1;
    at += strlen(key);
    while (*at == ' ' || *at == '\t') at++;
    size_t len = strcspn(at, "\n");
    if (len >= cap) len = cap - 1;
    memcpy(value, at, len);
    value[len] = '\0';
    return 0;
}

/* Fails the copy unless the process holds no capability, keeps no_new_privs and runs at least `filters` seccomp
 * filters: what its own code promised to do, checked from outside since that code ran the function's init. */
static void check_confined(pid_t pid, const char *what, int filters) {
    static const char *caps[] = { "CapInh", "CapPrm", "CapEff", "CapAmb" };
    char value[64];
    for (size_t i = 0; i < sizeof caps / sizeof *caps; i++) {
        if (status_field(pid, caps[i], value, sizeof value) != 0) fail("the copy's %s is gone", what);
        if (strspn(value, "0") != strlen(value)) fail("the copy's %s kept capabilities (%s %s)", what, caps[i], value);
    }
    if (status_field(pid, "NoNewPrivs", value, sizeof value) != 0 || strcmp(value, "1") != 0)
        fail("the copy's %s lost no_new_privs", what);
    if (status_field(pid, "Seccomp_filters", value, sizeof value) != 0 || atoi(value) < filters)
        fail("the copy's %s runs %s seccomp filters, not %d", what, value, filters);
}

/* Fails the copy when its runtime still maps memory shared with the template (and so with every other copy). */
static void check_private(pid_t pid) {
    char path[64], line[512];
    snprintf(path, sizeof path, "/proc/%d/maps", (int)pid);
    FILE *maps = fopen(path, "re");
    if (!maps) fail("the copy's runtime is gone");
    while (fgets(line, sizeof line, maps)) {
        char range[64], perms[8];
        if (sscanf(line, "%63s %7s", range, perms) == 2 && strlen(perms) == 4 && perms[3] == 's') {
            fclose(maps);
            fail("the copy's runtime shares memory with its template (%s %s)", range, perms);
        }
        /* a line longer than the buffer continues on the next read: its rest has no permissions field to match */
    }
    fclose(maps);
}

struct fresh_mounts { pid_t runtime; long tmp_mb; };

/* In a helper: joins the runtime's PID and mount namespaces; a child of it (only a child lives in the PID namespace
 * joined) mounts a fresh /proc of the copy's PID namespace, and /tmp and /dev/shm of its own (the template's are
 * shared by every copy). */
static void mount_in_helper(void *arg, int reply) {
    const struct fresh_mounts *m = arg;
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/ns/pid", (int)m->runtime);
    int pidns = open(path, O_RDONLY | O_CLOEXEC);
    snprintf(path, sizeof path, "/proc/%d/ns/mnt", (int)m->runtime);
    int mntns = open(path, O_RDONLY | O_CLOEXEC);
    if (pidns < 0 || mntns < 0 || setns(pidns, CLONE_NEWPID) < 0 || setns(mntns, CLONE_NEWNS) < 0) {
        dprintf(reply, "joining the copy: %s", strerror(errno));
        _exit(1);
    }
    pid_t inner = fork();
    if (inner < 0) { dprintf(reply, "fork: %s", strerror(errno)); _exit(1); }
    if (inner == 0) {
        char data[64];
        snprintf(data, sizeof data, "size=%ldm,mode=1777", m->tmp_mb > 0 ? m->tmp_mb : 512);
        if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) {
            dprintf(reply, "mount /proc: %s", strerror(errno));
            _exit(1);
        }
        if (mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, data) < 0) {
            dprintf(reply, "tmpfs /tmp: %s", strerror(errno));
            _exit(1);
        }
        if (mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "size=64m,mode=1777") < 0) {
            dprintf(reply, "tmpfs /dev/shm: %s", strerror(errno));
            _exit(1);
        }
        _exit(0);
    }
    int status = 0;
    while (waitpid(inner, &status, 0) < 0 && errno == EINTR) { }
    _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 1);
}

/* Forwards the server's "G<length>\n<environment>" (read from the control socket after its 'G') to the copy's runtime:
 * NUL-separated NAME=VALUE entries, the Runtime API's address among them. 0, or -1 when either side is gone. */
static int forward_environment(int channel) {
    char head[32];
    size_t used = 0;
    for (;;) {
        char c;
        ssize_t r = read(CONTROL_FD, &c, 1);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0 || used + 2 >= sizeof head) return -1;
        if (c == '\n') break;
        head[used++] = c;
    }
    head[used] = '\0';
    size_t length = strtoul(head, NULL, 10);
    if (length > (64u << 20)) return -1;
    int n = snprintf(head, sizeof head, "G%zu\n", length);
    char *blob = malloc((size_t)n + length);
    if (!blob) return -1;
    memcpy(blob, head, (size_t)n);
    size_t got = 0;
    while (got < length) {
        ssize_t r = read(CONTROL_FD, blob + n + got, length - got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) { free(blob); return -1; }
        got += (size_t)r;
    }
    size_t sent = 0, total = (size_t)n + length;
    while (sent < total) {
        ssize_t w = send(channel, blob + sent, total - sent, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) { free(blob); return -1; }
        sent += (size_t)w;
    }
    free(blob);
    return 0;
}

int run_copy(const struct options *o) {
    const int channel = STDIN_FILENO;
    char text[512];
    int fds[4], count = 0;

    /* C1 left the template: it is alone in a user namespace of its own, which owns its other new namespaces. */
    ssize_t n = receive_with(channel, text, sizeof text, fds, 4, &count, STEP_TIMEOUT_MS);
    if (n <= 0) fail("the template did not fork a copy within %d ms", STEP_TIMEOUT_MS);
    if (text[0] == 'E') fail("the template's copy could not start: %s", text + 1);
    if (text[0] != 'U' || count < 1) fail("the template's copy said %.40s", text);
    pid_t first = pid_of(fds[0]);
    close(fds[0]);
    if (first <= 0) fail("the copy's first process is gone");

    char path[PATH_MAX], value[64];
    snprintf(value, sizeof value, "%u %u 1\n", (unsigned)o->uid, (unsigned)o->uid);
    snprintf(path, sizeof path, "/proc/%d/uid_map", (int)first);
    write_file(path, value);
    snprintf(value, sizeof value, "%u %u 1\n", (unsigned)o->gid, (unsigned)o->gid);
    snprintf(path, sizeof path, "/proc/%d/gid_map", (int)first);
    write_file(path, value);
    /* The first move into a cgroup after a quiet while waits for an RCU grace period (cgroup v1's threadgroup
     * semaphore), ~10 ms here: a helper moves C1 while it forks on, so that the moves of C2 and C3 below are quick. */
    pid_t mover = fork();
    if (mover < 0) fail("fork: %s", strerror(errno));
    if (mover == 0) {
        snprintf(value, sizeof value, "%d", (int)first);
        for (int i = 0; i < o->ncgroups; i++) (void)write_cgroup(o->cgroups[i], "cgroup.procs", value);
        _exit(0);
    }
    int output = STDOUT_FILENO;
    if (send_with(channel, "M", 1, &output, 1) != 0) fail("the copy's first process is gone");

    /* C2 (PID 1 of the copy) and C3 (its runtime) exist and say they dropped what the user namespace gave them. */
    n = receive_with(channel, text, sizeof text, fds, 4, &count, STEP_TIMEOUT_MS);
    if (n <= 0) fail("the copy did not get ready within %d ms", STEP_TIMEOUT_MS);
    if (text[0] == 'E') fail("the copy could not get ready: %s", text + 1);
    if (text[0] != 'R' || count < 2) fail("the copy said %.40s", text);
    int reaper_fd = fds[0];
    pid_t reaper = pid_of(fds[0]), runtime = pid_of(fds[1]);
    close(fds[1]);
    if (reaper <= 0 || runtime <= 0) fail("the copy's processes are gone");
    while (waitpid(mover, NULL, 0) < 0 && errno == EINTR) { }
    pid_t members[2] = { reaper, runtime };
    for (int m = 0; m < 2; m++) {
        snprintf(value, sizeof value, "%d", (int)members[m]);
        for (int i = 0; i < o->ncgroups; i++) {
            snprintf(path, sizeof path, "%s/cgroup.procs", o->cgroups[i]);
            write_file(path, value);
        }
    }
    check_confined(reaper, "init", 1);
    check_confined(runtime, "runtime", 2);
    check_private(runtime);

    struct fresh_mounts mounts = { runtime, o->tmp_mb };
    char reason[256];
    if (run_helper(mount_in_helper, &mounts, reason, sizeof reason, "mounting the copy's filesystems failed") != 0) fail("%s", reason);
    snprintf(path, sizeof path, "/proc/%d/ns/net", (int)runtime);
    int copy_net = open(path, O_RDONLY | O_CLOEXEC);
    if (copy_net < 0) fail("open %s: %s", path, strerror(errno));
    if (o->netns) {
        if (move_interface(o->netns, copy_net, reason, sizeof reason) != 0) fail("the copy's network: %s", reason);
    } else if (setns(copy_net, CLONE_NEWNET) < 0) {
        fail("setns into the copy: %s", strerror(errno));
    }
    close(copy_net);
    loopback_up();
    int port = 0;
    int listener = listen_loopback(o->port, &port);
    int endpoint = -1, endpoint_port = 0;
    if (o->endpoint_port > 0 && o->endpoint_port != port) endpoint = listen_loopback(o->endpoint_port, &endpoint_port);
    send_listeners(listener, port, endpoint, endpoint_port);
    close(listener);
    if (endpoint >= 0) close(endpoint);

    /* The copy waits (a standby copy as long as the server wants) for its environment: the server sends it with 'G'
     * once it serves the copy's Runtime API. Until the copy ends (C2's exit takes its PID namespace along) or the
     * server ends it. */
    struct pollfd pfds[3] = { { .fd = CONTROL_FD, .events = POLLIN }, { .fd = reaper_fd, .events = POLLIN },
                              { .fd = channel, .events = POLLIN } };
    int code = 128 + SIGKILL, killed = 0, given = 0;
    for (;;) {
        int ready = poll(pfds, 3, -1);
        if (ready < 0 && errno != EINTR) break;
        if (ready <= 0) continue;
        if (pfds[0].revents && !killed) {
            char c;
            int passed = -1;
            ssize_t r = read_command(&c, &passed);
            if (passed >= 0) close(passed);
            if (r > 0 && c == 'G' && !given && forward_environment(channel) == 0) {
                given = 1;
                continue;
            }
            if (r <= 0 || c == 'K' || c == 'S' || c == 'C' || c == 'G') {
                kill_environment(o, -1);
                killed = 1;
                pfds[0].fd = -1;
            }
        }
        if (pfds[2].revents) {
            ssize_t r = read(channel, text, sizeof text - 1);
            if (r > 0) {
                text[r] = '\0';
                if (text[0] == 'X') code = atoi(text + 1);
            } else {
                pfds[2].fd = -1;
            }
        }
        if (pfds[1].revents) break;
    }
    /* Whatever the runtime left behind in the copy's cgroups goes with it. */
    if (!killed) kill_environment(o, -1);
    return code;
}
