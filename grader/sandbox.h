/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sandbox.h: running untrusted programs under limits.
 *
 * Three kinds of runs:
 *
 * - A probe (probe.h): a fresh process for every test, it answers requests
 *   until the test ends. nngrade talks to it through two pipes and drains
 *   what it prints through a third, so the probe can neither block nngrade
 *   nor flood it. The verdict never depends on what it prints. The probes
 *   of one exercise of one submission run one after the other in one
 *   sandbox (nng_probe_box), made once: its supervisor starts each probe
 *   from a fresh exec under the same limits, and the folder is emptied
 *   between tests.
 * - A sandboxed build of a student's file (compiler, nm and linker, one
 *   after the other in one sandboxed run): run to completion, its output
 *   captured. It runs no student code, but it
 *   reads student input (a source file can #include or .incbin any path), so
 *   it sees no more than a probe does.
 * - A trusted tool (the compiler on the TA's hidden tests): limits only.
 *
 * Every run gets a session and process group of its own (so it has no
 * controlling terminal), a working folder, an environment of PATH, LC_ALL=C
 * and one BLAS thread only, no standard input, no open file but the ones
 * above, no_new_privs, and resource limits: CPU time (SIGXCPU at the limit, SIGKILL a second later,
 * which no signal handler stops), address space (malloc fails beyond it),
 * size of any file it writes (SIGXFSZ), no core files, few open files.
 * nngrade adds a wall-clock limit of its own (the time a run waits for a
 * CPU on a loaded machine does not count: see sandbox-run.c), stops a
 * probe that prints too much or leaves more than limits.disk_bytes of files
 * in its folder, kills the whole process group at the end of every run (a
 * probe: the probe, at the end of its test; its box's sandbox, when the box
 * is closed), and empties the probe's folder after every test. A run dies
 * with nngrade (PR_SET_PDEATHSIG).
 *
 * Every probe runs under its supervisor, nngrade-supervise (supervise.c),
 * inside the sandbox, which stays up while the box is open: per test it
 * starts the probe (a fork and an exec) with no process of its own
 * (RLIMIT_NPROC 0) under a system-call filter (seccomp) that refuses what
 * numeric code does not need, among it everything that would let one
 * student's probe leave data in the kernel for another's (the kernel
 * keyrings, message queues, shared memory) or reach other processes
 * (signals but to itself, ptrace, sockets); and it reports to nngrade how
 * the probe ended, with the CPU time and peak memory it used, measured
 * where the probe ran. nngrade finds it beside the probe libraries when
 * NNGRADE_PROBE_DIR is set, else where it is installed; without it, no
 * probe starts.
 *
 * What keeps student code away from everything else depends on what the
 * machine offers; nng_sandbox_init() chooses once, nng_sandbox_describe()
 * says what it chose:
 *
 * - NNG_SANDBOX_BWRAP: bubblewrap (bwrap, Debian package bubblewrap) is
 *   installed and works. A run gets new pid, network, IPC and UTS namespaces
 *   (--die-with-parent) and a root folder of its own, read-only, that holds
 *   only /usr (where the course library's shared object, if installed
 *   there, reads as empty), the /lib and /bin links, /etc/ld.so.* and
 *   /etc/alternatives, /proc of its own pid namespace, a minimal /dev
 *   (read-only), and its working folder, the only place it can write. A
 *   probe sees its own program besides; a tool also sees the paths its
 *   command line names (the exercise header, the probe library) and a
 *   small /tmp. Nothing else: not
 *   the home folders, the submissions, the hidden tests, the output folder,
 *   other scratch folders, nor nngrade's processes. As root, bwrap runs
 *   privileged and the run then becomes the sandbox user (setpriv); as
 *   another user, bwrap makes a user namespace. A probe can start no
 *   process and no thread (its supervisor), so a fork bomb's forks fail.
 *   setpriv must be in /usr when nngrade runs as root. bwrap must
 *   work where nngrade runs: it is tried once, and when it fails (in some
 *   containers) nngrade says so once on stderr and falls back to:
 * - NNG_SANDBOX_NAMESPACES (root without a working bwrap): the same, done
 *   by nngrade itself. A run gets new pid, network, IPC, UTS and mount
 *   namespaces (clone) and a root of its own like bubblewrap's (a read-only
 *   tmpfs with /usr, the /lib and /bin links, /etc/ld.so.* and
 *   /etc/alternatives, a few devices, its own /proc with hidepid=2, a /tmp,
 *   and its working folder, noexec for a probe; chroot), then drops to the
 *   sandbox user (setgroups, setgid, setuid), so that RLIMIT_NPROC (0 for a
 *   probe) applies and it cannot signal or trace nngrade. Paths it needs
 *   that the sandbox user could not reach are opened beforehand and passed
 *   as /proc/self/fd/N.
 * - NNG_SANDBOX_USER (root, and namespaces are refused, e.g. a container
 *   without CAP_SYS_ADMIN): only the change of user, the limits and the
 *   probes' system-call filter (no network, no signal or trace of another
 *   process). Student code reads world-readable files (keep the hidden
 *   tests, the submissions and the output folder mode 700: nngrade batch
 *   warns) and writes in world-writable folders (/tmp: only the probe's own
 *   folder is measured and emptied).
 * - NNG_SANDBOX_NONE (not root, no bubblewrap): limits and the probes'
 *   system-call filter only. A probe cannot fork, signal another process or
 *   use the network; but student code runs as the TA: it can read and
 *   write whatever the TA can (the hidden tests, the grades). Fine for a
 *   student checking their own work (nngrade check); for a class, install
 *   bubblewrap or run as root. nngrade batch warns.
 *
 * The sandbox user is nobody (with its group), or NNGRADE_SANDBOX_USER (a
 * user name, or UID[:GID]). NNGRADE_NO_BWRAP=1 skips bubblewrap even when
 * it works. The folders a run writes in are made by nngrade and handed to
 * the sandbox user with nng_sandbox_give(); everything else nngrade makes
 * stays the grader's.
 *
 * Legal call order for the probes of one exercise:
 *
 *   nng_probe_box_open(&box, program, dir, &limits);
 *   for each test:
 *     nng_probe_start_in(&p, &box);           the box's sandbox starts with
 *                                             the first probe
 *     nng_probe_call(&p, &request, &reply);   any number, within the wall time
 *     nng_probe_stop(&p);                     always, even after a failure
 *   nng_probe_box_close(&box);                always
 *
 * nng_probe_start(&p, program, dir, &limits) starts a probe in a box of its
 * own, closed by nng_probe_stop.
 */
#ifndef NNG_SANDBOX_H
#define NNG_SANDBOX_H

#include <stddef.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "proto.h"

typedef struct nng_limits {
  double cpu_seconds;     /* CPU time of one run */
  double wall_seconds;    /* wall-clock time of one run */
  size_t memory_bytes;    /* address space */
  size_t file_bytes;      /* largest file it may write */
  size_t output_keep;     /* bytes of its output kept for the feedback */
  size_t output_max;      /* bytes of output after which it is stopped */
  size_t disk_bytes;      /* a probe: files it may leave in its folder; 0: unchecked */
} nng_limits;

/* The limits for one test: 2 s CPU, 5 s wall, 512 MiB, 1 MiB files, 16 MiB
 * of files in all, 2 KiB of output kept, stopped past 1 MiB. */
void nng_limits_for_test(nng_limits *lim);

/* The limits for the compiler: 60 s CPU and wall, 2 GiB, 64 MiB files. */
void nng_limits_for_compiler(nng_limits *lim);

typedef enum nng_sandbox_kind {
  NNG_SANDBOX_BWRAP,        /* bubblewrap */
  NNG_SANDBOX_NAMESPACES,   /* root: namespaces and the sandbox user */
  NNG_SANDBOX_USER,         /* root: the sandbox user only */
  NNG_SANDBOX_NONE          /* limits only */
} nng_sandbox_kind;

/* Choose the sandbox (the first call tries bubblewrap; later calls return
 * the same). Call it before forking workers, so that it happens once. */
nng_sandbox_kind nng_sandbox_init(void);

/* One line: which sandbox runs student code, and what it does not stop. */
const char *nng_sandbox_describe(void);

/* 0 when probes can be started; -1 when the grader cannot start any (its
 * probes' supervisor is missing), with why in WHY: a fault of the grader,
 * not of a student. */
int nng_sandbox_probes_ready(char *why, size_t n);

/* Print a warning to stderr when student code could read the folder PATH
 * (WHAT names it: "the hidden tests"). Returns 1 when it warned. */
int nng_sandbox_warn_readable(const char *path, const char *what);

/* Hand the folder DIR, made by nngrade, to student code: when nngrade runs
 * as root, it becomes the sandbox user's (mode 0700). nng_sandbox_take()
 * takes it and what it holds back (files no longer writable by student code,
 * still readable and executable by it). 0, or -1 with errno. Both do nothing
 * when nngrade does not run as root. */
int nng_sandbox_give(const char *dir);
int nng_sandbox_take(const char *dir);

/* Remove the folder DIR and all it holds, never following a link out of it,
 * however student code filled it. 0, or -1 with errno. */
int nng_sandbox_remove(const char *dir);

/* The sandbox the probes of one exercise run in, one after the other. */
typedef struct nng_probe_box {
  pid_t pid;              /* the sandbox, leader of its process group; 0 when not
                           * started (or stopped) */
  int control_fd;         /* a socket to its supervisor (supervise.c, --serve) */
  int out_fd;             /* what the sandbox itself prints (bubblewrap, the
                           * supervisor): shown when it fails */
  int via_init;           /* pid is an init that reports a signal N as exit status
                           * 128+N: 1 (namespaces), 2 (bwrap) */
  nng_limits limits;      /* every probe's */
  char program[1024];     /* the probe's program */
  char dir[1024];         /* the probes' working folder */
} nng_probe_box;

/* Prepare BOX for the probes PROGRAM in folder DIR (given to student code:
 * nng_sandbox_give) under LIM; its sandbox starts with its first probe.
 * 0, or -1 when a path is too long. */
int nng_probe_box_open(nng_probe_box *box, const char *program, const char *dir,
                       const nng_limits *lim);

/* End BOX's sandbox, if it runs (no probe may run in it). */
void nng_probe_box_close(nng_probe_box *box);

typedef struct nng_probe {
  pid_t pid;              /* the process group the probe runs in (its box's);
                           * 0 when none */
  int to_fd;              /* requests, to the probe's NNG_PROBE_IN */
  int from_fd;            /* replies, from the probe's NNG_PROBE_OUT */
  int out_fd;             /* its stdout and stderr */
  int report_fd;          /* its supervisor's report: how it ended, its usage
                           * (the box's control socket, not the probe's own) */
  nng_probe_box *box;     /* the sandbox it runs in */
  int own_box;            /* 1: box is the probe's own (nng_probe_start) */
  int ended;              /* 0 running; 1 ended, as end_status and end_usage say;
                           * 2 its sandbox ended, with status end_status */
  int end_status;         /* wait status */
  struct rusage end_usage;
  unsigned long long since; /* when it started, in clock ticks since boot (see
                             * /proc/PID/stat): its processes are the ones since */
  double started;         /* when it started (monotonic seconds) */
  double deadline;        /* when it must be done by: started + the wall-clock limit
                           * + the time it waited for a CPU (see sandbox.c) */
  nng_limits limits;
  unsigned char *inbuf;   /* reply bytes received and not yet parsed */
  size_t inlen, incap;
  char *output;           /* the first limits.output_keep bytes it printed, NUL-terminated */
  size_t output_len;      /* bytes kept */
  size_t output_total;    /* bytes printed in all */
  int failed;             /* 1 once it died, hung or misbehaved */
  char reason[256];       /* why, in words for the student */
  char dir[1024];         /* its working folder */
  int via_init;           /* pid is an init that reports a signal N as exit status
                           * 128+N: 1 (namespaces), 2 (bwrap) */
  double next_disk_check; /* when to measure its folder again */
} nng_probe;

/* Start a fresh probe in BOX (no other probe runs there). 0 on success; -1
 * (with p->reason) when it could not be started. */
int nng_probe_start_in(nng_probe *p, nng_probe_box *box);

/* Start PROGRAM in folder DIR (given to student code: nng_sandbox_give), in
 * a box of its own. 0 on success; -1 (with p->reason) when it could not be
 * started. */
int nng_probe_start(nng_probe *p, const char *program, const char *dir,
                    const nng_limits *lim);

/* Send REQ and wait for the reply into REP. 0 on success; -1 when the probe
 * died, hung, printed too much, filled its folder or replied with garbage:
 * p->reason says which. */
int nng_probe_call(nng_probe *p, const nng_msg *req, nng_msg *rep);

/* Kill the probe and wait for its end; check what it left in its folder
 * (too much: p->failed, with the reason), then empty the folder; free what
 * p holds but p->output (and close its box when it is its own). */
void nng_probe_stop(nng_probe *p);

/* Run ARGV[0] (a path, or a name looked up in PATH) in DIR under LIM until it
 * ends, trusted: limits only (the compiler on the TA's own files); *output
 * receives what it printed (stdout and stderr, at most lim->output_keep
 * bytes; the caller frees it). Returns 0 when it exited with status 0, 1
 * when it failed (reason says how), -1 when it could not run. */
int nng_run_tool(char *const argv[], const char *dir, const nng_limits *lim,
                 char **output, char *reason, size_t reason_size);

/* The same for a tool that reads student input, in the sandbox: it can
 * write only in DIR (given to student code), and read the system's programs
 * and libraries and the absolute paths its arguments name (as they are, or
 * after -I or -L). */
int nng_run_sandboxed_tool(char *const argv[], const char *dir, const nng_limits *lim,
                           char **output, char *reason, size_t reason_size);

/* Seconds on the monotonic clock. */
double nng_now(void);

#endif /* NNG_SANDBOX_H */
