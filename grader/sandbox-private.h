/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sandbox-private.h: what the parts of the sandbox share (see sandbox.h).
 *
 * The sandbox is one module in several files, one concern each:
 *
 *   sandbox.c          the limits, and the choice of the sandbox, made once
 *                      (the state below) by trying each kind in turn
 *   sandbox-folders.c  the folders student code writes in: handed over,
 *                      measured, emptied without following a link
 *   sandbox-spawn.c    starting a run: in the child, between fork and exec,
 *                      what every kind of sandbox does (a session, the
 *                      standard files, the limits, the change of user)
 *   sandbox-bwrap.c    NNG_SANDBOX_BWRAP: the bubblewrap command line
 *   sandbox-ns.c       NNG_SANDBOX_NAMESPACES: a root of the run's own, made
 *                      by nngrade in new namespaces
 *   sandbox-plain.c    NNG_SANDBOX_USER and NNG_SANDBOX_NONE: paths passed
 *                      as open files
 *   sandbox-run.c      a run seen from nngrade: what it prints, how it
 *                      ended, its wall-clock time; the tools
 *   sandbox-probe.c    probes: started, called, stopped
 *
 * Nothing here is seen outside these files: the names are hidden from the
 * hidden tests that nngrade loads.
 */
#ifndef NNG_SANDBOX_PRIVATE_H
#define NNG_SANDBOX_PRIVATE_H

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>

#include "probe.h"
#include "sandbox.h"

#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000
#endif

#pragma GCC visibility push(hidden)

/* The environment of every run. One BLAS thread: a probe may start none. */
extern char *const clean_env[];

/* ===== The sandbox, chosen once (sandbox.c) ===== */

/* The new root of a run in namespaces (mounted over /tmp in its own mount
 * namespace), and its working folder in there. */
#define NS_ROOT "/tmp"
#define WORK_IN_NS "/tmp/nngrade-work"

/* The system folders a dynamically linked program needs, with the links of
 * a merged /usr. */
#define N_SYSTEM_DIRS 6
extern const char *const system_dirs[N_SYSTEM_DIRS];
/* Files and folders of /etc that the dynamic linker and the compiler read. */
#define N_ETC 4
extern const char *const etc_paths[N_ETC];
#define N_DEV 5
extern const char *const dev_nodes[N_DEV];

struct nng_sandbox_state {
  int ready;
  nng_sandbox_kind kind;
  int root;                  /* nngrade runs as root: runs become the sandbox user */
  uid_t uid;
  gid_t gid;
  char user[64];
  char bwrap[PATH_MAX], setpriv[PATH_MAX], truth[PATH_MAX];
  char supervisor[PATH_MAX]; /* nngrade-supervise, which every probe runs under; "" */
  char why_not_bwrap[256];   /* "is not installed", ... */
  char note[1024];           /* nng_sandbox_describe() */
  char course_lib[PATH_MAX];     /* the course library's shared object, or "" */
  /* For namespaces, prepared once: the same paths under NS_ROOT, and what
   * each system folder and /etc path is. */
  char sys_link[N_SYSTEM_DIRS][256];  /* the link's target; "" for a folder */
  int sys_kind[N_SYSTEM_DIRS];        /* 0 absent, 1 link, 2 folder */
  char sys_in[N_SYSTEM_DIRS][32];
  int etc_kind[N_ETC];                /* 0 absent, 1 file, 2 folder */
  char etc_in[N_ETC][64];
  char dev_in[N_DEV][32];
  char course_lib_in[PATH_MAX + 8];      /* "" when not under /usr */
};
extern struct nng_sandbox_state nng_sb;

/* 1 when PATH is PREFIX or lies under it. */
int path_under(const char *path, const char *prefix);

/* ===== Folders (sandbox-folders.c) ===== */

#define MAX_DEPTH 24
#define MAX_ENTRIES 10000

/* DIR becomes UID:GID's, with MODE. 0, or -1 with errno. */
int give_to(const char *dir, uid_t uid, gid_t gid, mode_t mode);
/* Empty the folder DIR, keeping it. 0 when it is empty. */
int empty_folder(const char *dir);
/* Bytes (allocated) and entries under the folder FD (closed here). */
void tree_usage(int fd, int depth, unsigned long long *bytes, size_t *entries,
                unsigned long long max_bytes);

/* ===== In the child, between fork and exec (sandbox-spawn.c) =====
 * Only async-signal-safe calls there: everything else is prepared before. */

/* Where a sandboxed tool finds the paths its arguments name, when it runs
 * as the sandbox user without bubblewrap: file descriptors opened while
 * still root, from FIRST_PATH_FD on, passed as /proc/self/fd/N (so that
 * folders the sandbox user cannot cross on the way do not matter). */
#define FIRST_PATH_FD 10
#define MAX_PATHS 16

/* A probe's supervisor writes its report on REPORT_FD; without bubblewrap,
 * it finds the probe's program open as PROGRAM_FD (opened by nngrade, so
 * that the sandbox user need not reach its path), named /proc/self/fd/6. */
#define REPORT_FD 5
#define PROGRAM_FD 6
#define PROGRAM_FD_PATH "/proc/self/fd/6"

typedef struct plan {
  nng_sandbox_kind kind;
  int trusted;                /* a trusted tool: limits only */
  int probe;                  /* a probe: fds 3 and 4 (and REPORT_FD), under the
                               * supervisor */
  int serve;                  /* a probe box: the supervisor serves one probe after
                               * another (--serve), its control socket at REPORT_FD */
  const nng_limits *lim;
  const char *dir;            /* working folder (NULL: nngrade's) */
  const char *program;        /* a probe's program */
  char *const *argv;          /* the command */
  char **bwrap;               /* under bubblewrap: the whole command line */
  const char *paths[MAX_PATHS]; /* opened as FIRST_PATH_FD + i (see above) */
  size_t n_paths;
} plan;

pid_t raw_fork(unsigned long flags);
void child_say(const char *what);
_Noreturn void child_die(const char *what);
void close_from(int first);
void child_drop(void);
_Noreturn void child_exec(const plan *pl, int sup_fd, const char *program);
/* sandbox-plain.c */
void child_open_paths(const plan *pl);
void child_open_programs(const plan *pl, int *sup_fd);
/* sandbox-ns.c */
_Noreturn void child_namespaces(const plan *pl);

/* ===== Preparing a run, in nngrade (sandbox-spawn.c) ===== */

typedef struct strvec {
  char **v;
  size_t n, cap;
  int bad;
} strvec;

void sv_add(strvec *s, const char *w);
void sv_free(char **v);
const char *named_path(const char *arg);
int system_path(const char *path);
/* sandbox-bwrap.c */
char **bwrap_command(const plan *pl);
/* sandbox-plain.c */
char **fd_command(plan *pl);

pid_t spawn(plan *pl, int in_fd, int reply_fd, int out_fd, int report_fd);
void plan_init(plan *pl, nng_sandbox_kind kind, int trusted, const nng_limits *lim,
               const char *dir);

/* ===== A run seen from nngrade (sandbox-run.c) ===== */

void keep_output(nng_probe *p, const char *buf, size_t n);
int drain_output(nng_probe *p);
void explain_end(nng_probe *p, int status, const struct rusage *ru, int init);
int time_is_up(pid_t pgid, unsigned long long since, double started,
               const nng_limits *lim, double *deadline);
unsigned long long ticks_since_boot(void);
int run_plan(plan *pl, char **output, char *reason, size_t reason_size);

#pragma GCC visibility pop

#endif /* NNG_SANDBOX_PRIVATE_H */
