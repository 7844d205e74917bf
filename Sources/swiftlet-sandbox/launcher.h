/*
 * What the launcher's parts share: its options and the steps every kind of environment takes
 * (a classic start, a stem cell, a SnapStart template and its copies).
 */
#ifndef SWIFTLET_LAUNCHER_H
#define SWIFTLET_LAUNCHER_H

#include <sys/types.h>

#define CONTROL_FD 3
#define MAX_ITEMS 256

struct options {
    int sandbox;
    const char *root;
    const char *bind_src[MAX_ITEMS], *bind_dst[MAX_ITEMS];
    int bind_rw[MAX_ITEMS], binds;
    const char *link_target[MAX_ITEMS], *link_path[MAX_ITEMS];
    int links;
    const char *cgroups[16];
    int ncgroups;
    long tmp_mb;
    uid_t uid;
    gid_t gid;
    const char *hostname;
    const char *workdir;
    int port;
    int endpoint_port;
    const char *netns;
    int stem;
    /* A SnapStart template: its runtime initialises the function once and then forks copies on request. */
    int template_mode;
    /* A copy of a template (stdin is the channel to the copy's first process). */
    int copy;
    char **program;
};

/* Reports a setup failure to the server ("E <reason>" on the control socket) and exits 125. */
void fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
/* Brings the loopback interface of the current network namespace up. */
void loopback_up(void);
/* A listening TCP socket on 127.0.0.1:port (0: ephemeral); returns it and the bound port. */
int listen_loopback(int port, int *bound);
/* Hands the listening sockets to the server ("L <runtime port> <endpoint port>\n" with the descriptors). */
void send_listeners(int runtime_fd, int runtime_port, int endpoint_fd, int endpoint_port);
void write_file(const char *path, const char *value);
/* Writes value to a cgroup file; 0, or -1 when the file is missing or refuses it. */
int write_cgroup(const char *dir, const char *file, const char *value);
/* Runs body(arg, reply) in a forked helper (body _exits: 0 for success, else with its reason written to reply).
 * Returns 0, or -1 with the reason (or `otherwise`) in reason[0..<cap]. */
int run_helper(void (*body)(void *arg, int reply), void *arg, char *reason, size_t cap, const char *otherwise);
/* Ends the environment: SIGKILL to init (when > 0) and to every process of its cgroups, then a thaw. */
void kill_environment(const struct options *o, pid_t init);

#endif
