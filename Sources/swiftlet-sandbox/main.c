/*
 * swiftlet-sandbox: starts one Lambda execution environment.
 *
 *   swiftlet-sandbox [options] -- PROGRAM [ARGS...]
 *
 * fd 3 is the control socket shared with the server. The launcher (P0) stays in the host's PID
 * namespace, creates the environment's namespaces, sends the server the listening socket of the
 * environment's Runtime API ("L <port>\n" + SCM_RIGHTS), and forks P1, PID 1 of the new PID
 * namespace, which builds the private root and forks P2, the runtime. When the control socket
 * closes (or the server writes 'K') the launcher SIGKILLs P1, and the kernel kills everything
 * else in the namespace. The launcher exits with the runtime's exit code (128+signal when killed).
 *
 * Dying with the server: the launcher learns of the server's death from the control socket's EOF
 * (not PR_SET_PDEATHSIG, which follows the thread that spawned it, and the server's threads come
 * and go). It stays outside the environment's cgroups, so it is never frozen, and in a session of
 * its own, so a terminal's signals do not take it away first; to end the environment it SIGKILLs P1
 * and every process of the cgroups (cgroup.kill on v2) and then thaws them, since a task frozen by
 * the v1 freezer only dies once thawed. P1 dies with the launcher (PR_SET_PDEATHSIG, its parent is
 * single-threaded); when both are killed at once on a v1 host, what was frozen stays frozen until the
 * next server start removes it (CgroupHierarchy.removeLeftovers).
 *
 * Stem cells (--stem-cell 1): the environment starts before its function is known. Its root has empty
 * directories at /var/task and /opt and no /tmp mount, and the runtime waits on its stdin for the function's
 * environment. The server specialises it once with "S <code dir>\t<layers dir>\t<tmp MB>\n" on the control
 * socket: the launcher (in the host's mount namespace, single-threaded) forks a helper that clones both trees
 * (open_tree), enters P1's mount namespace (setns), attaches them read-only at /var/task and /opt (move_mount)
 * and mounts a fresh /tmp of the function's size; the launcher answers "A\n" or "E <reason>\n".
 *
 *   swiftlet-sandbox --print-seccomp-filter [template]
 *
 * writes the seccomp program (struct sock_filter[], native byte order) to stdout, for its tests: the functions'
 * filter, or a SnapStart template's (snapstart.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sched.h>
#include <sys/resource.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <unistd.h>

#include "seccomp.h"
#include "snapstart.h"

#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef OPEN_TREE_CLOEXEC
#define OPEN_TREE_CLOEXEC O_CLOEXEC
#endif
#ifndef MOVE_MOUNT_F_EMPTY_PATH
#define MOVE_MOUNT_F_EMPTY_PATH 0x00000004
#endif

#include "launcher.h"

/* Reports a setup failure to the server and exits 125. */
void fail(const char *fmt, ...) {
    char message[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = snprintf(message, sizeof message, "E ");
    n += vsnprintf(message + n, sizeof message - (size_t)n, fmt, ap);
    va_end(ap);
    if (n > (int)sizeof message - 2) n = (int)sizeof message - 2;
    message[n++] = '\n';
    if (write(CONTROL_FD, message, (size_t)n) < 0) { /* nobody to tell */ }
    if (write(STDERR_FILENO, message + 2, (size_t)n - 2) < 0) { /* ignore */ }
    _exit(125);
}

static char *split_pair(const char *arg, const char **second) {
    char *copy = strdup(arg);
    char *colon = strchr(copy, ':');
    if (!colon) fail("expected A:B, got %s", arg);
    *colon = '\0';
    *second = colon + 1;
    return copy;
}

static void parse(int argc, char **argv, struct options *o) {
    memset(o, 0, sizeof *o);
    o->sandbox = 1;
    o->tmp_mb = 512;
    o->uid = 993;
    o->gid = 993;
    o->hostname = "localhost";
    o->port = 9001;
    o->endpoint_port = 0;
    o->netns = NULL;
    int i;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--") == 0) { i++; break; }
        if (!v) fail("option %s needs a value", a);
        if (strcmp(a, "--mode") == 0) {
            if (strcmp(v, "sandbox") == 0) o->sandbox = 1;
            else if (strcmp(v, "plain") == 0) o->sandbox = 0;
            else fail("unknown mode %s", v);
        } else if (strcmp(a, "--root") == 0) o->root = v;
        else if (strcmp(a, "--bind") == 0 || strcmp(a, "--bind-rw") == 0) {
            if (o->binds == MAX_ITEMS) fail("too many binds");
            o->bind_src[o->binds] = split_pair(v, &o->bind_dst[o->binds]);
            o->bind_rw[o->binds++] = strcmp(a, "--bind-rw") == 0;
        } else if (strcmp(a, "--symlink") == 0) {
            if (o->links == MAX_ITEMS) fail("too many symlinks");
            o->link_target[o->links] = split_pair(v, &o->link_path[o->links]);
            o->links++;
        } else if (strcmp(a, "--cgroup") == 0) {
            if (o->ncgroups == 16) fail("too many cgroups");
            o->cgroups[o->ncgroups++] = v;
        } else if (strcmp(a, "--tmp-size") == 0) o->tmp_mb = atol(v);
        else if (strcmp(a, "--uid") == 0) o->uid = (uid_t)atol(v);
        else if (strcmp(a, "--gid") == 0) o->gid = (gid_t)atol(v);
        else if (strcmp(a, "--hostname") == 0) o->hostname = v;
        else if (strcmp(a, "--workdir") == 0) o->workdir = v;
        else if (strcmp(a, "--runtime-port") == 0) o->port = atoi(v);
        else if (strcmp(a, "--endpoint-port") == 0) o->endpoint_port = atoi(v);
        else if (strcmp(a, "--netns") == 0) o->netns = v;
        else if (strcmp(a, "--stem-cell") == 0) o->stem = atoi(v) != 0;
        else if (strcmp(a, "--template") == 0) o->template_mode = atoi(v) != 0;
        else if (strcmp(a, "--copy") == 0) o->copy = atoi(v) != 0;
        else fail("unknown option %s", a);
        i++;
    }
    if (i >= argc && !o->copy) fail("no program given");
    o->program = &argv[i];
    if (o->sandbox && !o->root) fail("--root is required in sandbox mode");
    if (o->stem && !o->sandbox) fail("--stem-cell needs sandbox mode");
    if ((o->template_mode || o->copy) && !o->sandbox) fail("--template and --copy need sandbox mode");
    if (o->template_mode && (o->stem || o->copy)) fail("--template is neither a stem cell nor a copy");
    if (!o->workdir) o->workdir = o->sandbox ? "/var/task" : ".";
}

/* Brings the loopback interface of the current network namespace up. */
void loopback_up(void) {
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0) fail("socket: %s", strerror(errno));
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
    if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0) fail("SIOCGIFFLAGS lo: %s", strerror(errno));
    ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
    if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0) fail("SIOCSIFFLAGS lo: %s", strerror(errno));
    close(s);
}

/* A listening TCP socket on 127.0.0.1:port (0: ephemeral); returns it and the bound port. */
int listen_loopback(int port, int *bound) {
    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0) fail("socket: %s", strerror(errno));
    int one = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    /* Accepted connections inherit it: one a runtime made before its Runtime API was served (a stem cell connects
     * ahead) is accepted later, and its first replies must not wait for the runtime's delayed ACK. */
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(s, (struct sockaddr *)&addr, sizeof addr) < 0) fail("bind 127.0.0.1:%d: %s", port, strerror(errno));
    if (listen(s, 64) < 0) fail("listen: %s", strerror(errno));
    socklen_t len = sizeof addr;
    getsockname(s, (struct sockaddr *)&addr, &len);
    *bound = ntohs(addr.sin_port);
    return s;
}

/* Hands the listening sockets to the server with "L <runtime port> <endpoint port>\n": the Runtime API's, and the
 * platform endpoint's when there is one (endpoint port 0 and one descriptor when not). */
void send_listeners(int runtime_fd, int runtime_port, int endpoint_fd, int endpoint_port) {
    char text[48];
    int n = snprintf(text, sizeof text, "L %d %d\n", runtime_port, endpoint_fd >= 0 ? endpoint_port : 0);
    int fds[2] = { runtime_fd, endpoint_fd };
    int nfds = endpoint_fd >= 0 ? 2 : 1;
    struct iovec iov = { .iov_base = text, .iov_len = (size_t)n };
    union { struct cmsghdr align; char data[CMSG_SPACE(sizeof(int) * 2)]; } control;
    memset(&control, 0, sizeof control);
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.data,
                          .msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)nfds) };
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)nfds);
    memcpy(CMSG_DATA(c), fds, sizeof(int) * (size_t)nfds);
    if (sendmsg(CONTROL_FD, &msg, MSG_NOSIGNAL) < 0) fail("sendmsg: %s", strerror(errno));
}

void write_file(const char *path, const char *value) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) fail("open %s: %s", path, strerror(errno));
    if (write(fd, value, strlen(value)) < 0) fail("write %s: %s", path, strerror(errno));
    close(fd);
}

/* mkdir -p inside the new root (path is absolute within the root). */
static void make_dirs(const char *path, mode_t mode) {
    char buf[PATH_MAX];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(buf, 0755) < 0 && errno != EEXIST) fail("mkdir %s: %s", buf, strerror(errno));
            *p = '/';
        }
    }
    if (mkdir(buf, mode) < 0 && errno != EEXIST) fail("mkdir %s: %s", buf, strerror(errno));
}

static void make_parent_dirs(const char *path) {
    char buf[PATH_MAX];
    snprintf(buf, sizeof buf, "%s", path);
    char *slash = strrchr(buf, '/');
    if (slash && slash != buf) {
        *slash = '\0';
        make_dirs(buf, 0755);
    }
}

/* Bind-mounts src at root+dst, read-only unless rw. */
static void bind_into(const char *root, const char *src, const char *dst, int rw) {
    char target[PATH_MAX];
    snprintf(target, sizeof target, "%s%s", root, dst);
    struct stat st;
    if (stat(src, &st) < 0) fail("bind source %s: %s", src, strerror(errno));
    if (S_ISDIR(st.st_mode)) {
        make_dirs(target, 0755);
    } else {
        make_parent_dirs(target);
        int fd = open(target, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
        if (fd < 0) fail("create %s: %s", target, strerror(errno));
        close(fd);
    }
    if (mount(src, target, NULL, MS_BIND | MS_REC, NULL) < 0) fail("bind %s: %s", src, strerror(errno));
    unsigned long flags = MS_BIND | MS_REMOUNT | MS_NOSUID | MS_NODEV | (rw ? 0 : MS_RDONLY);
    if (mount(NULL, target, NULL, flags, NULL) < 0) fail("remount %s: %s", target, strerror(errno));
}

/* Builds the private root and switches into it. Runs in P1, inside every new namespace. */
static void build_root(const struct options *o) {
    const char *root = o->root;
    char path[PATH_MAX], data[64];
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) fail("make / private: %s", strerror(errno));
    if (mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, "size=16m,mode=0755") < 0) fail("tmpfs root: %s", strerror(errno));
    for (int i = 0; i < o->links; i++) {
        snprintf(path, sizeof path, "%s%s", root, o->link_path[i]);
        make_parent_dirs(path);
        if (symlink(o->link_target[i], path) < 0) fail("symlink %s: %s", path, strerror(errno));
    }
    for (int i = 0; i < o->binds; i++) bind_into(root, o->bind_src[i], o->bind_dst[i], o->bind_rw[i]);

    snprintf(path, sizeof path, "%s/tmp", root);
    make_dirs(path, 01777);
    if (o->stem) {
        /* Mount points of what specialisation attaches. The `lib` directories exist before the runtime starts so
         * the dynamic loader, which notes at its first search which LD_LIBRARY_PATH directories are missing, keeps
         * searching /var/task/lib and /opt/lib once the function's code is there. */
        static const char *points[] = { "/var/task/lib", "/opt/lib" };
        for (size_t i = 0; i < sizeof points / sizeof *points; i++) {
            snprintf(path, sizeof path, "%s%s", root, points[i]);
            make_dirs(path, 0755);
        }
    } else {
        snprintf(data, sizeof data, "size=%ldm,mode=1777", o->tmp_mb > 0 ? o->tmp_mb : 512);
        if (mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV, data) < 0) fail("tmpfs /tmp: %s", strerror(errno));
    }

    snprintf(path, sizeof path, "%s/proc", root);
    make_dirs(path, 0555);
    if (mount("proc", path, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) fail("mount /proc: %s", strerror(errno));

    snprintf(path, sizeof path, "%s/dev", root);
    make_dirs(path, 0755);
    if (mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NOEXEC, "size=64k,mode=0755") < 0) fail("tmpfs /dev: %s", strerror(errno));
    static const char *devices[] = { "null", "zero", "full", "random", "urandom", "tty" };
    for (size_t i = 0; i < sizeof devices / sizeof *devices; i++) {
        char src[64], dst[32];
        snprintf(src, sizeof src, "/dev/%s", devices[i]);
        if (access(src, F_OK) != 0) continue;
        snprintf(dst, sizeof dst, "/dev/%s", devices[i]);
        snprintf(path, sizeof path, "%s%s", root, dst);
        int fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0666);
        if (fd < 0) fail("create %s: %s", path, strerror(errno));
        close(fd);
        if (mount(src, path, NULL, MS_BIND, NULL) < 0) fail("bind %s: %s", src, strerror(errno));
    }
    static const char *links[][2] = { { "/proc/self/fd", "fd" }, { "/proc/self/fd/0", "stdin" },
                                      { "/proc/self/fd/1", "stdout" }, { "/proc/self/fd/2", "stderr" } };
    for (size_t i = 0; i < sizeof links / sizeof *links; i++) {
        snprintf(path, sizeof path, "%s/dev/%s", root, links[i][1]);
        if (symlink(links[i][0], path) < 0) fail("symlink %s: %s", path, strerror(errno));
    }
    snprintf(path, sizeof path, "%s/dev/shm", root);
    make_dirs(path, 01777);
    if (mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV, "size=64m,mode=1777") < 0) fail("tmpfs /dev/shm: %s", strerror(errno));

    /* Everything the runtime may write to is a mount of its own; the root itself becomes read-only. */
    if (chdir(root) < 0) fail("chdir root: %s", strerror(errno));
    if (syscall(SYS_pivot_root, ".", ".") < 0) fail("pivot_root: %s", strerror(errno));
    if (umount2(".", MNT_DETACH) < 0) fail("detach old root: %s", strerror(errno));
    if (chdir("/") < 0) fail("chdir /: %s", strerror(errno));
    if (mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL) < 0)
        fail("remount / read-only: %s", strerror(errno));
}

/* P2: drops privileges and becomes the runtime. The control socket is closed first, so a failure here
 * goes to the runtime's output (the function's log) and ends the environment with 125. */
static void exec_runtime(const struct options *o, pid_t init) {
    close(CONTROL_FD);
    if (o->template_mode) {
        /* The template's runtime keeps its end of the fork channel at fd 3 and the filter its copies install at fd 4. */
        if (template_handover(template_channel) != 0) _exit(125);
        syscall(SYS_close_range, 5, ~0U, 0);
    } else {
        syscall(SYS_close_range, 3, ~0U, 0);
    }
    if (getuid() == 0 && (o->sandbox || o->uid != 993)) {
        if (setgroups(0, NULL) < 0) fail("setgroups: %s", strerror(errno));
        if (setresgid(o->gid, o->gid, o->gid) < 0) fail("setgid: %s", strerror(errno));
        if (setresuid(o->uid, o->uid, o->uid) < 0) fail("setuid: %s", strerror(errno));
    }
    if (!o->sandbox) {
        /* No PID namespace to take the runtime along when P1 dies. Set after the uid change, which clears it. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != init) _exit(125);
    }
    /* Lambda's limit on open files: a function that opens too many sees EMFILE, never the server's limit. */
    struct rlimit files = { .rlim_cur = 1024, .rlim_max = 1024 };
    if (o->sandbox && setrlimit(RLIMIT_NOFILE, &files) < 0) {
        dprintf(STDERR_FILENO, "swiftlet-sandbox: RLIMIT_NOFILE: %s\n", strerror(errno));
        _exit(125);
    }
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
        dprintf(STDERR_FILENO, "swiftlet-sandbox: no_new_privs: %s\n", strerror(errno));
        _exit(125);
    }
    if (chdir(o->workdir) < 0) {
        dprintf(STDERR_FILENO, "chdir %s: %s\n", o->workdir, strerror(errno));
        _exit(127);
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (o->sandbox) {
        int rc = swiftlet_seccomp_install(o->template_mode);
        if (rc != 0) {
            dprintf(STDERR_FILENO, "swiftlet-sandbox: seccomp filter: %s\n", strerror(rc));
            _exit(125);
        }
    }
    execvp(o->program[0], o->program);
    dprintf(STDERR_FILENO, "exec %s: %s\n", o->program[0], strerror(errno));
    _exit(127);
}

/* P1: PID 1 of the environment. Reaps every process; ends with the runtime's exit code. */
static void run_init(const struct options *o) {
    pid_t self = getpid();
    pid_t runtime = fork();
    if (runtime < 0) fail("fork runtime: %s", strerror(errno));
    if (runtime == 0) {
        signal(SIGCHLD, SIG_DFL);
        if (!o->sandbox) setpgid(0, 0);
        exec_runtime(o, self);
    }
    if (!o->sandbox) setpgid(runtime, runtime);
    close(CONTROL_FD);
    /* The fork channel is the runtime's and the launcher's: its end must come when the runtime's does. */
    if (template_channel >= 0) close(template_channel);
    int code = 0;
    for (;;) {
        int status;
        pid_t pid = wait(&status);
        if (pid < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (pid == runtime) {
            code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            /* A template's copies live in PID namespaces below this one: leaving now would take them along. */
            if (!o->template_mode) break;
        }
    }
    if (!o->sandbox) {
        /* No PID namespace to tear down: kill the process group the runtime left behind. */
        kill(-runtime, SIGKILL);
    }
    _exit(code);
}

/* Writes value to a cgroup file; 0, or -1 when the file is missing or refuses it. */
int write_cgroup(const char *dir, const char *file, const char *value) {
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n = write(fd, value, strlen(value));
    close(fd);
    return n == (ssize_t)strlen(value) ? 0 : -1;
}

/* SIGKILLs every process listed in dir/cgroup.procs. */
static void kill_cgroup_processes(const char *dir) {
    char path[PATH_MAX], buf[16384];
    snprintf(path, sizeof path, "%s/cgroup.procs", dir);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    size_t used = 0;
    for (;;) {
        ssize_t n = read(fd, buf + used, sizeof buf - 1 - used);
        if (n <= 0) break;
        used += (size_t)n;
        buf[used] = '\0';
        char *line = buf, *end;
        while ((end = strchr(line, '\n')) != NULL) {
            *end = '\0';
            long pid = strtol(line, NULL, 10);
            if (pid > 0) kill((pid_t)pid, SIGKILL);
            line = end + 1;
        }
        used = strlen(line);
        memmove(buf, line, used);
    }
    close(fd);
}

/* Ends the environment: SIGKILL to P1 (in a sandbox the PID namespace goes with it) and to every process of
 * its cgroups (a plain-mode runtime's children have no namespace to die with), then a thaw, since the v1
 * freezer holds a frozen task's SIGKILL until it is thawed and after the server's death nobody else would. */
void kill_environment(const struct options *o, pid_t init) {
    if (init > 0) kill(init, SIGKILL);
    int killed = 0;
    for (int i = 0; i < o->ncgroups; i++) {
        if (write_cgroup(o->cgroups[i], "cgroup.kill", "1") == 0) killed = 1;
    }
    /* v1: every controller's group holds the same processes. */
    if (!killed && o->ncgroups > 0) kill_cgroup_processes(o->cgroups[0]);
    for (int i = 0; i < o->ncgroups; i++) {
        write_cgroup(o->cgroups[i], "freezer.state", "THAWED");
        write_cgroup(o->cgroups[i], "cgroup.freeze", "0");
    }
}

/* Whether the process holding the write end of this pipe (the launcher) is still alive. */
static int writer_alive(int read_end) {
    struct pollfd pfd = { .fd = read_end, .events = POLLIN };
    int n;
    do { n = poll(&pfd, 1, 0); } while (n < 0 && errno == EINTR);
    return n == 0;
}

/* Helper of specialise(): clones the two trees here, attaches them in P1's mount namespace. Exits 0 or 1 with
 * the reason on the control socket's reply pipe. */
static void attach_function(pid_t init, const char *code, const char *layers, long tmp_mb, int reply) {
    int trees[2];
    const char *sources[2] = { code, layers }, *targets[2] = { "/var/task", "/opt" };
    for (int i = 0; i < 2; i++) {
        trees[i] = (int)syscall(SYS_open_tree, AT_FDCWD, sources[i], OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
        if (trees[i] < 0) { dprintf(reply, "open_tree %s: %s", sources[i], strerror(errno)); _exit(1); }
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/ns/mnt", (int)init);
    int ns = open(path, O_RDONLY | O_CLOEXEC);
    if (ns < 0 || setns(ns, CLONE_NEWNS) < 0) { dprintf(reply, "setns %s: %s", path, strerror(errno)); _exit(1); }
    for (int i = 0; i < 2; i++) {
        if (syscall(SYS_move_mount, trees[i], "", AT_FDCWD, targets[i], MOVE_MOUNT_F_EMPTY_PATH) < 0) {
            dprintf(reply, "move_mount %s: %s", targets[i], strerror(errno));
            _exit(1);
        }
        if (mount(NULL, targets[i], NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL) < 0) {
            dprintf(reply, "remount %s: %s", targets[i], strerror(errno));
            _exit(1);
        }
    }
    char data[64];
    snprintf(data, sizeof data, "size=%ldm,mode=1777", tmp_mb > 0 ? tmp_mb : 512);
    if (mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, data) < 0) { dprintf(reply, "tmpfs /tmp: %s", strerror(errno)); _exit(1); }
    _exit(0);
}

struct helper_call { void (*body)(void *arg, int reply); void *arg; int reply, unused; };

static int helper_entry(void *p) {
    struct helper_call *call = p;
    close(call->unused);
    call->body(call->arg, call->reply);
    _exit(0);
}

/* The helper's stack: it runs in this process's memory (below), one at a time. */
static char helper_stack[256 * 1024] __attribute__((aligned(16)));

int run_helper(void (*body)(void *arg, int reply), void *arg, char *reason, size_t cap, const char *otherwise) {
    reason[0] = '\0';
    int pipefd[2];
    if (pipe2(pipefd, O_CLOEXEC) < 0) {
        snprintf(reason, cap, "pipe: %s", strerror(errno));
        return -1;
    }
    /* As posix_spawn does: the helper shares this process's memory and this process waits until it has exited
     * (CLONE_VFORK), so no page table is copied (a cold start waits on this); it has its own descriptors and
     * filesystem context, so entering another mount namespace (setns) leaves this process where it was. Its
     * reason fits the pipe's buffer. */
    struct helper_call call = { body, arg, pipefd[1], pipefd[0] };
    pid_t helper = clone(helper_entry, helper_stack + sizeof helper_stack, CLONE_VM | CLONE_VFORK | SIGCHLD, &call);
    if (helper < 0) {
        snprintf(reason, cap, "clone: %s", strerror(errno));
        close(pipefd[0]);
        close(pipefd[1]);
        return -1;
    }
    close(pipefd[1]);
    ssize_t n, used = 0;
    while ((n = read(pipefd[0], reason + used, cap - 1 - (size_t)used)) > 0 || (n < 0 && errno == EINTR)) {
        if (n > 0) used += n;
    }
    reason[used] = '\0';
    close(pipefd[0]);
    int status = 0;
    while (waitpid(helper, &status, 0) < 0 && errno == EINTR) { }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return 0;
    if (!reason[0]) snprintf(reason, cap, "%s", otherwise);
    return -1;
}

struct attachment { pid_t init; const char *code, *layers; long tmp_mb; };

static void attach_in_helper(void *arg, int reply) {
    const struct attachment *a = arg;
    attach_function(a->init, a->code, a->layers, a->tmp_mb, reply);
}

/* Reads the rest of an "S" request (one line) from the control socket; 0, or -1 when it is malformed or cut. */
static int read_line(char *buf, size_t cap) {
    /* The server writes a request at once: take the whole line in one read when it is there (a cold start waits on
     * this), byte by byte otherwise (never reading past the line). */
    ssize_t peeked;
    do { peeked = recv(CONTROL_FD, buf, cap - 1, MSG_PEEK | MSG_DONTWAIT); } while (peeked < 0 && errno == EINTR);
    char *nl = peeked > 0 ? memchr(buf, '\n', (size_t)peeked) : NULL;
    if (nl) {
        size_t want = (size_t)(nl - buf) + 1, got = 0;
        while (got < want) {
            ssize_t r = read(CONTROL_FD, buf + got, want - got);
            if (r < 0 && errno == EINTR) continue;
            if (r <= 0) return -1;
            got += (size_t)r;
        }
        buf[want - 1] = '\0';
        return 0;
    }
    size_t used = 0;
    for (;;) {
        char c;
        ssize_t r = read(CONTROL_FD, &c, 1);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return -1;
        if (c == '\n') break;
        if (used + 1 >= cap) return -1;
        buf[used++] = c;
    }
    buf[used] = '\0';
    return 0;
}

/* Specialises a stem cell: attaches the function's code, layers and /tmp (see the top of this file). Answers on
 * the control socket; returns -1 when the control socket failed (the environment must end). */
static int specialise(const struct options *o, pid_t init, int *done) {
    char line[2 * PATH_MAX + 64];
    if (read_line(line, sizeof line) < 0) return -1;
    char reason[512] = "";
    char *code = line, *layers = strchr(line, '\t'), *tmp = NULL;
    if (layers) { *layers++ = '\0'; tmp = strchr(layers, '\t'); }
    if (tmp) *tmp++ = '\0';
    if (!o->stem || *done) snprintf(reason, sizeof reason, "not a stem cell waiting for a function");
    else if (!layers || !tmp || code[0] != '/' || layers[0] != '/') snprintf(reason, sizeof reason, "malformed specialisation");
    if (!reason[0]) {
        struct attachment a = { init, code, layers, atol(tmp) };
        if (run_helper(attach_in_helper, &a, reason, sizeof reason, "attaching the function failed") == 0) *done = 1;
    }
    char answer[600];
    int n = reason[0] ? snprintf(answer, sizeof answer, "E %s\n", reason) : snprintf(answer, sizeof answer, "A\n");
    return write(CONTROL_FD, answer, (size_t)n) == n ? 0 : -1;
}

static void print_seccomp_filter(int template_mode) {
    struct sock_filter insns[SWIFTLET_SECCOMP_MAX];
    int n = swiftlet_seccomp_build_for(insns, SWIFTLET_SECCOMP_MAX, template_mode);
    if (n < 0) {
        dprintf(STDERR_FILENO, "no seccomp filter for this architecture\n");
        _exit(1);
    }
    const char *bytes = (const char *)insns;
    size_t left = (size_t)n * sizeof *insns;
    while (left > 0) {
        ssize_t w = write(STDOUT_FILENO, bytes, left);
        if (w <= 0) _exit(1);
        bytes += w;
        left -= (size_t)w;
    }
    _exit(0);
}

int main(int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], "--print-seccomp-filter") == 0) print_seccomp_filter(0);
    if (argc == 3 && strcmp(argv[1], "--print-seccomp-filter") == 0 && strcmp(argv[2], "template") == 0) print_seccomp_filter(1);
    struct options o;
    parse(argc, argv, &o);
    signal(SIGPIPE, SIG_IGN);
    /* Out of the server's process group: a terminal's ^C is for the server, which then ends us over the socket. */
    setsid();
    if (o.copy) return run_copy(&o);

    /* A network namespace prepared by the server (its veth on Swiftlet's bridge, address and route set), or a new
     * one with loopback only. */
    int new_net = CLONE_NEWNET;
    if (o.sandbox && o.netns) {
        int ns = open(o.netns, O_RDONLY | O_CLOEXEC);
        if (ns < 0) fail("open %s: %s", o.netns, strerror(errno));
        if (setns(ns, CLONE_NEWNET) < 0) fail("setns %s: %s", o.netns, strerror(errno));
        close(ns);
        new_net = 0;
    }
    if (o.sandbox && unshare(CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS | new_net | CLONE_NEWPID) < 0)
        fail("unshare: %s", strerror(errno));
    if (o.sandbox) loopback_up();
    int port = 0;
    int listener = listen_loopback(o.sandbox ? o.port : 0, &port);
    char api[64];
    snprintf(api, sizeof api, "127.0.0.1:%d", port);
    setenv("AWS_LAMBDA_RUNTIME_API", api, 1);
    /* Swiftlet's endpoint inside the environment's network namespace: the server relays it to its own listener. */
    int endpoint = -1, endpoint_port = 0;
    if (o.sandbox && o.endpoint_port > 0 && o.endpoint_port != port) endpoint = listen_loopback(o.endpoint_port, &endpoint_port);
    send_listeners(listener, port, endpoint, endpoint_port);
    close(listener);
    if (endpoint >= 0) close(endpoint);

    /* P1 checks the launcher is still alive after asking to die with it: its parent pid cannot tell,
     * being 0 inside the new PID namespace. */
    int alive[2];
    if (pipe2(alive, O_CLOEXEC) < 0) fail("pipe: %s", strerror(errno));
    int forks[2] = { -1, -1 };
    if (o.template_mode) {
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, forks) < 0) fail("socketpair: %s", strerror(errno));
        template_channel = forks[1];
    }
    pid_t init = fork();
    if (init < 0) fail("fork: %s", strerror(errno));
    if (init == 0) {
        /* P1. Die with the launcher; join the cgroups before anything else starts. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        close(alive[1]);
        if (forks[0] >= 0) close(forks[0]);
        if (!writer_alive(alive[0])) _exit(125);
        close(alive[0]);
        for (int i = 0; i < o.ncgroups; i++) {
            char path[PATH_MAX];
            snprintf(path, sizeof path, "%s/cgroup.procs", o.cgroups[i]);
            write_file(path, "0");
        }
        if (o.sandbox) {
            if (sethostname(o.hostname, strlen(o.hostname)) < 0) fail("sethostname: %s", strerror(errno));
            /* A mount namespace of P1's own, so pivoting the root leaves the launcher's view alone. */
            if (unshare(CLONE_NEWNS) < 0) fail("unshare mount namespace: %s", strerror(errno));
            build_root(&o);
        } else {
            prctl(PR_SET_CHILD_SUBREAPER, 1);
        }
        run_init(&o);
    }

    /* P0: wait for the environment to end, or for the server to end it (alive[1] stays open until we exit). */
    close(alive[0]);
    if (forks[1] >= 0) close(forks[1]);
    int pidfd = (int)syscall(SYS_pidfd_open, init, 0);
    struct pollfd fds[3] = { { .fd = CONTROL_FD, .events = POLLIN }, { .fd = pidfd, .events = POLLIN },
                             { .fd = forks[0], .events = POLLIN } };
    int killed = 0, specialised = 0;
    for (;;) {
        int n = poll(fds, 3, -1);
        if (n < 0 && errno != EINTR) break;
        if (fds[0].revents && !killed) {
            char c;
            int passed = -1;
            ssize_t r = read_command(&c, &passed);
            if (r > 0 && c == 'S' && specialise(&o, init, &specialised) == 0) continue;
            if (r > 0 && c == 'C' && o.template_mode) {
                template_fork(forks[0], passed);
                continue;
            }
            if (passed >= 0) close(passed);
            if (r <= 0 || c == 'K' || c == 'S' || c == 'C') {
                kill_environment(&o, init);
                killed = 1;
                fds[0].fd = -1;
            }
        }
        if (fds[2].revents) {
            /* The template's runtime: "T" once it is initialised; the end of the channel once it is gone. */
            if (template_relay(forks[0]) != 0) fds[2].fd = -1;
        }
        if (pidfd >= 0 && fds[1].revents) break;
    }
    int status = 0;
    while (waitpid(init, &status, 0) < 0 && errno == EINTR) { }
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    return 128 + WTERMSIG(status);
}
