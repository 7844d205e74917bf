/*
 * SnapStart: a template environment and the copies made from it.
 *
 * A template (--template 1) is a classic environment whose runtime initialises the function once and then waits
 * for fork requests on a channel the launcher gives it at fd 3 (with the seccomp filter its copies install at
 * fd 4). Asked for a copy ("C" + a socket on the control socket), the launcher passes the socket to the runtime,
 * which forks; the child (C1) leaves the template's namespaces with one unshare (a user namespace of its own,
 * owning new mount, network, UTS, IPC and PID namespaces: the only namespace call a template's filter allows)
 * and talks to the copy's own launcher over the socket.
 *
 * A copy's launcher (--copy 1, the socket on stdin) then, as root and from outside:
 *   "U" + C1's pidfd   maps the function's uid and gid into C1's user namespace, moves C1 into the copy's cgroups,
 *                      answers "M" + the copy's output pipe; C1 forks C2 (PID 1 of the new PID namespace) and exits,
 *                      C2 forks C3, the runtime;
 *   "R" + pidfds       checks that C2 and C3 hold no capability (they dropped what the user namespace gave them) and
 *                      that C3 stacked the template's filter for functions and maps no memory shared with the
 *                      template (C3 made any such mapping a private copy), mounts a fresh /proc, /tmp and /dev/shm
 *                      in the copy's mount namespace, moves the prepared network namespace's eth0 into the copy's
 *                      (address and route as they were), makes the Runtime API's listeners there and hands them to
 *                      the server ("L");
 *   'G' (server)       the function's environment ("G<length>\n" + NUL-separated NAME=VALUE, the Runtime API's address
 *                      among them), sent once the server serves the copy's Runtime API (at once, or when it claims a
 *                      standby copy), is forwarded to C3, which goes on as the runtime;
 *   "X <code>"         C2's word that the runtime exited, and how; the launcher exits with that code.
 * A check that fails ends the copy before it can reach anything (the server then starts a classic environment).
 */
#ifndef SWIFTLET_SNAPSTART_H
#define SWIFTLET_SNAPSTART_H

#include <sys/types.h>

#include "launcher.h"

/* The runtime's end of a template's fork channel (in the launcher, before it forks). */
extern int template_channel;

/* In the template's runtime process before exec: the channel at fd 3, the functions' filter in a memfd at fd 4,
 * and _SWIFTLET_TEMPLATE_FD / _SWIFTLET_SECCOMP_FD naming them. 0, or -1 (reported on stderr). */
int template_handover(int channel);

/* Reads one command byte from the control socket with the descriptor it may carry (-1 when none). */
ssize_t read_command(char *c, int *fd);

/* Passes a copy's socket to the template's runtime ("C" + the socket) and closes it here. */
void template_fork(int channel, int fd);

/* Relays what the template's runtime says on its channel ("T": initialised) to the server; at the channel's end it
 * says "X" and returns -1. */
int template_relay(int channel);

/* The launcher of a copy: see the top of this file. Returns the runtime's exit code. */
int run_copy(const struct options *o);

/* Moves eth0 of the network namespace at prepared_path into target_ns (a descriptor), with its IPv4 address and
 * default route, and brings it up there. The caller ends in target_ns. 0, or -1 with the reason in err. */
int move_interface(const char *prepared_path, int target_ns, char *err, size_t errlen);

#endif
