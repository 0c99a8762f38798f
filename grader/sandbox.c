/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sandbox.c: running untrusted programs under limits (see sandbox.h). */
#include <config.h>

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
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>

#include <nn/linalg.h>

#include "probe.h"
#include "sandbox.h"

#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000
#endif

void
nng_limits_for_test(nng_limits *lim)
{
  lim->cpu_seconds = 2.0;
  lim->wall_seconds = 5.0;
  lim->memory_bytes = (size_t) 512 << 20;
  lim->file_bytes = (size_t) 1 << 20;
  lim->output_keep = 2048;
  lim->output_max = (size_t) 1 << 20;
  lim->disk_bytes = (size_t) 16 << 20;
}

void
nng_limits_for_compiler(nng_limits *lim)
{
  lim->cpu_seconds = 60.0;
  lim->wall_seconds = 60.0;
  lim->memory_bytes = (size_t) 2 << 30;
  lim->file_bytes = (size_t) 64 << 20;
  lim->output_keep = 16384;
  lim->output_max = (size_t) 16 << 20;
  lim->disk_bytes = 0;
}

double
nng_now(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double) t.tv_sec + 1e-9 * (double) t.tv_nsec;
}

/* The environment of every run. One BLAS thread: a probe may start none. */
static char *const clean_env[] = {
  "PATH=/usr/local/bin:/usr/bin:/bin", "LC_ALL=C", "OPENBLAS_NUM_THREADS=1",
  "OMP_NUM_THREADS=1", NULL
};

/* ===== The sandbox, chosen once ===== */

/* The new root of a run in namespaces (mounted over /tmp in its own mount
 * namespace), and its working folder in there. */
#define NS_ROOT "/tmp"
#define WORK_IN_NS "/tmp/nngrade-work"

/* The system folders a dynamically linked program needs, with the links of
 * a merged /usr. */
static const char *const system_dirs[] = {"/bin", "/sbin", "/lib", "/lib32", "/lib64",
                                          "/libx32"};
#define N_SYSTEM_DIRS (sizeof system_dirs / sizeof system_dirs[0])
/* Files and folders of /etc that the dynamic linker and the compiler read. */
static const char *const etc_paths[] = {"/etc/ld.so.cache", "/etc/ld.so.conf",
                                        "/etc/ld.so.conf.d", "/etc/alternatives"};
#define N_ETC (sizeof etc_paths / sizeof etc_paths[0])
static const char *const dev_nodes[] = {"/dev/null", "/dev/zero", "/dev/full",
                                        "/dev/random", "/dev/urandom"};
#define N_DEV (sizeof dev_nodes / sizeof dev_nodes[0])

static struct sandbox {
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
} sb;

/* Find the program NAME: in /usr/bin or /bin first, then in PATH. */
static int
find_program(const char *name, char *path, size_t n)
{
  const char *env = getenv("PATH");
  char dirs[8192];
  snprintf(dirs, sizeof dirs, "/usr/bin:/bin:/usr/sbin:/sbin:%s", env ? env : "");
  char *save = NULL;
  for (char *d = strtok_r(dirs, ":", &save); d != NULL; d = strtok_r(NULL, ":", &save)) {
    if (d[0] != '/')
      continue;
    snprintf(path, n, "%s/%s", d, name);
    if (access(path, X_OK) == 0)
      return 1;
  }
  path[0] = '\0';
  return 0;
}

/* 1 when PATH is PREFIX or lies under it. */
static int
path_under(const char *path, const char *prefix)
{
  size_t n = strlen(prefix);
  while (n > 1 && prefix[n - 1] == '/')
    n--;
  return strncmp(path, prefix, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/* The user student code runs as, when nngrade runs as root. */
static void
choose_user(void)
{
  const char *name = getenv("NNGRADE_SANDBOX_USER");
  if (name == NULL || name[0] == '\0')
    name = "nobody";
  snprintf(sb.user, sizeof sb.user, "%s", name);
  struct passwd *pw = getpwnam(name);
  unsigned long u = 65534, g = 65534;
  if (pw != NULL) {
    u = pw->pw_uid;
    g = pw->pw_gid;
  } else {
    char *end;
    u = strtoul(name, &end, 10);
    if (end == name || (*end != '\0' && *end != ':')) {
      fprintf(stderr, "nngrade: sandbox: there is no user %s: student code runs as "
              "uid 65534 instead\n", name);
      u = g = 65534;
      snprintf(sb.user, sizeof sb.user, "uid 65534");
    } else {
      g = *end == ':' ? strtoul(end + 1, NULL, 10) : u;
    }
  }
  if (u == 0 || g == 0) {
    fprintf(stderr, "nngrade: sandbox: student code never runs as root: it runs as uid "
            "65534 instead of %s\n", name);
    u = g = 65534;
    snprintf(sb.user, sizeof sb.user, "uid 65534");
  }
  sb.uid = (uid_t) u;
  sb.gid = (gid_t) g;
}

/* The course library's shared object, which student code must not load. */
static void
find_library(void)
{
  Dl_info info;
  sb.course_lib[0] = '\0';
  if (dladdr((void *) nn_linalg_dot, &info) != 0 && info.dli_fname != NULL
      && strstr(info.dli_fname, ".so") != NULL
      && realpath(info.dli_fname, sb.course_lib) == NULL)
    sb.course_lib[0] = '\0';
}

/* What the root of a run in namespaces holds (see child_namespaces). */
static void
prepare_root(void)
{
  struct stat st;
  for (size_t i = 0; i < N_SYSTEM_DIRS; i++) {
    snprintf(sb.sys_in[i], sizeof sb.sys_in[i], "%s%s", NS_ROOT, system_dirs[i]);
    size_t room = sizeof sb.sys_link[i] - 1;
    ssize_t n;
    if (lstat(system_dirs[i], &st) != 0)
      sb.sys_kind[i] = 0;
    else if (S_ISLNK(st.st_mode) && (n = readlink(system_dirs[i], sb.sys_link[i], room)) > 0) {
      sb.sys_link[i][n] = '\0';
      sb.sys_kind[i] = 1;
    } else {
      sb.sys_kind[i] = S_ISDIR(st.st_mode) ? 2 : 0;
    }
  }
  for (size_t i = 0; i < N_ETC; i++) {
    snprintf(sb.etc_in[i], sizeof sb.etc_in[i], "%s%s", NS_ROOT, etc_paths[i]);
    sb.etc_kind[i] = stat(etc_paths[i], &st) != 0 ? 0 : S_ISDIR(st.st_mode) ? 2 : 1;
  }
  for (size_t i = 0; i < N_DEV; i++)
    snprintf(sb.dev_in[i], sizeof sb.dev_in[i], "%s%s", NS_ROOT, dev_nodes[i]);
  sb.course_lib_in[0] = '\0';
  if (sb.course_lib[0] != '\0' && path_under(sb.course_lib, "/usr"))
    snprintf(sb.course_lib_in, sizeof sb.course_lib_in, "%s%s", NS_ROOT, sb.course_lib);
}

static int try_kind(nng_sandbox_kind kind, char *why, size_t n);

#ifndef NNGRADE_SUPERVISOR
#define NNGRADE_SUPERVISOR "/usr/local/libexec/nncourse/nngrade-supervise"
#endif

/* The supervisor of probes (supervise.c): beside the probe libraries when
 * NNGRADE_PROBE_DIR names them (the build tree), else where it is
 * installed. */
static void
find_supervisor(void)
{
  const char *dir = getenv("NNGRADE_PROBE_DIR");
  if (dir != NULL && dir[0] != '\0') {
    snprintf(sb.supervisor, sizeof sb.supervisor, "%s/nngrade-supervise", dir);
    if (access(sb.supervisor, X_OK) == 0)
      return;
  }
  snprintf(sb.supervisor, sizeof sb.supervisor, "%s", NNGRADE_SUPERVISOR);
  if (access(sb.supervisor, X_OK) != 0) {
    fprintf(stderr, "nngrade: sandbox: the probes' supervisor %s is missing: is "
            "nncourse built and installed?\n", sb.supervisor);
    sb.supervisor[0] = '\0';
  }
}

nng_sandbox_kind
nng_sandbox_init(void)
{
  if (sb.ready)
    return sb.kind;
  sb.ready = 1;
  sb.root = geteuid() == 0;
  if (sb.root)
    choose_user();
  find_library();
  find_supervisor();
  prepare_root();
  find_program("true", sb.truth, sizeof sb.truth);

  /* Bubblewrap, when it is there and works; setpriv, for root, must be in
   * /usr, where a run sees it. */
  const char *no = getenv("NNGRADE_NO_BWRAP");
  char why[512] = "";
  if (no != NULL && no[0] != '\0' && strcmp(no, "0") != 0) {
    snprintf(sb.why_not_bwrap, sizeof sb.why_not_bwrap, "turned off by NNGRADE_NO_BWRAP");
  } else if (!find_program("bwrap", sb.bwrap, sizeof sb.bwrap)) {
    snprintf(sb.why_not_bwrap, sizeof sb.why_not_bwrap, "not installed");
  } else if (sb.root && (!find_program("setpriv", sb.setpriv, sizeof sb.setpriv)
                         || !path_under(sb.setpriv, "/usr"))) {
    snprintf(sb.why_not_bwrap, sizeof sb.why_not_bwrap, "installed, but setpriv is "
             "not in /usr/bin (package util-linux)");
    fprintf(stderr, "nngrade: sandbox: bubblewrap is %s: not using it\n",
            sb.why_not_bwrap);
  } else if (try_kind(NNG_SANDBOX_BWRAP, why, sizeof why) == 0) {
    sb.kind = NNG_SANDBOX_BWRAP;
    snprintf(sb.note, sizeof sb.note, "sandbox: bubblewrap: student code runs%s%s in "
             "namespaces of its own, sees only its own folder, has no network and "
             "cannot start processes", sb.root ? " as user " : "",
             sb.root ? sb.user : "");
    return sb.kind;
  } else {
    snprintf(sb.why_not_bwrap, sizeof sb.why_not_bwrap, "installed but does not work "
             "here (%.200s)", why);
    fprintf(stderr, "nngrade: sandbox: bubblewrap is %s: not using it\n",
            sb.why_not_bwrap);
  }

  if (!sb.root) {
    sb.kind = NNG_SANDBOX_NONE;
    snprintf(sb.note, sizeof sb.note, "warning: sandbox: none (bubblewrap is %s, and "
             "nngrade does not run as root): student code runs as you, under limits "
             "and a system-call filter only: it can read and change your files (the "
             "hidden tests, the grades). Install bubblewrap (Debian package "
             "bubblewrap) before grading a class", sb.why_not_bwrap);
  } else if (try_kind(NNG_SANDBOX_NAMESPACES, why, sizeof why) == 0) {
    sb.kind = NNG_SANDBOX_NAMESPACES;
    snprintf(sb.note, sizeof sb.note, "sandbox: namespaces (bubblewrap is %s): student "
             "code runs as user %s in namespaces of its own, sees only its own folder, "
             "has no network and cannot start processes", sb.why_not_bwrap, sb.user);
  } else {
    sb.kind = NNG_SANDBOX_USER;
    fprintf(stderr, "nngrade: sandbox: cannot create namespaces here (%.200s)\n", why);
    snprintf(sb.note, sizeof sb.note, "warning: sandbox: user %s only (bubblewrap is %s, "
             "and namespaces are refused): student code cannot start processes, touch "
             "nngrade or other students' code, nor use the network, but it can read "
             "world-readable files and write in /tmp. Install bubblewrap", sb.user,
             sb.why_not_bwrap);
  }
  return sb.kind;
}

const char *
nng_sandbox_describe(void)
{
  nng_sandbox_init();
  return sb.note;
}

int
nng_sandbox_probes_ready(char *why, size_t n)
{
  nng_sandbox_init();
  if (sb.supervisor[0] != '\0')
    return 0;
  snprintf(why, n, "the grader's probe supervisor nngrade-supervise is missing (not in "
           "NNGRADE_PROBE_DIR nor in %s): is nncourse built and installed?",
           NNGRADE_SUPERVISOR);
  return -1;
}

int
nng_sandbox_warn_readable(const char *path, const char *what)
{
  struct stat st;
  nng_sandbox_kind kind = nng_sandbox_init();
  if (path == NULL || stat(path, &st) != 0)
    return 0;
  if (kind == NNG_SANDBOX_NONE) {
    fprintf(stderr, "nngrade: warning: without bubblewrap, student code runs as you and "
            "can read %s in %s\n", what, path);
    return 1;
  }
  if (kind == NNG_SANDBOX_USER && (st.st_mode & (S_IROTH | S_IXOTH)) != 0) {
    fprintf(stderr, "nngrade: warning: without bubblewrap, student code can read %s in "
            "%s, which other users can read: chmod 700 it\n", what, path);
    return 1;
  }
  return 0;
}

/* ===== Folders student code writes in ===== */

static int
give_to(const char *dir, uid_t uid, gid_t gid, mode_t mode)
{
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return -1;
  int r = fchown(fd, uid, gid) == 0 && fchmod(fd, mode) == 0 ? 0 : -1;
  int saved = errno;
  close(fd);
  errno = saved;
  return r;
}

int
nng_sandbox_give(const char *dir)
{
  nng_sandbox_init();
  return sb.root ? give_to(dir, sb.uid, sb.gid, 0700) : 0;
}

#define MAX_DEPTH 24
#define MAX_ENTRIES 10000

/* Empty the folder FD (closed here). Folders nested deeper than MAX_DEPTH
 * are moved up into TOP first; returns 1 when one was moved (another pass
 * is needed). Never follows a link: every step is relative to an open
 * folder, opened with O_NOFOLLOW. */
static int
empty_at(int fd, int top, int depth)
{
  static unsigned long moved_count;
  DIR *d = fdopendir(fd);
  if (d == NULL) {
    close(fd);
    return 0;
  }
  int moved = 0, at = dirfd(d);
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    const char *name = e->d_name;
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
      continue;
    if (unlinkat(at, name, 0) == 0 || (errno != EISDIR && errno != EPERM
                                       && errno != EACCES))
      continue;
    if (depth >= MAX_DEPTH) {
      char up[64];
      snprintf(up, sizeof up, ".nngrade-deep-%lu", moved_count++);
      if (renameat(at, name, top, up) == 0)
        moved = 1;
      continue;
    }
    int sub = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (sub < 0 && errno == EACCES && !sb.root) {
      /* a folder the student made unreadable (their own, nngrade is not root) */
      fchmodat(at, name, 0700, 0);
      sub = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    }
    if (sub < 0)
      continue;
    if (!sb.root)
      fchmod(sub, 0700);
    moved |= empty_at(sub, top, depth + 1);
    unlinkat(at, name, AT_REMOVEDIR);
  }
  closedir(d);
  return moved;
}

/* Empty the folder DIR, keeping it. 0 when it is empty. */
static int
empty_folder(const char *dir)
{
  for (int pass = 0; pass < 64; pass++) {
    int top = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (top < 0)
      return -1;
    if (!sb.root)
      fchmod(top, 0700);
    int fd = dup(top);
    int moved = fd >= 0 ? empty_at(fd, top, 0) : 0;
    /* empty now? */
    int check = dup(top);
    DIR *d = check >= 0 ? fdopendir(check) : NULL;
    int left = 0;
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL)
      if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
        left = 1;
    if (d != NULL)
      closedir(d);
    else if (check >= 0)
      close(check);
    close(top);
    if (!left)
      return 0;
    if (!moved && pass > 2)
      break;
  }
  errno = ENOTEMPTY;
  return -1;
}

int
nng_sandbox_remove(const char *dir)
{
  if (empty_folder(dir) != 0)
    return -1;
  return rmdir(dir);
}

int
nng_sandbox_take(const char *dir)
{
  nng_sandbox_init();
  if (!sb.root)
    return 0;
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return -1;
  /* First the folder, so that nothing new appears in it; then each entry:
   * regular files become the grader's, anything else goes. */
  if (fchown(fd, geteuid(), getegid()) != 0 || fchmod(fd, 0711) != 0) {
    close(fd);
    return -1;
  }
  DIR *d = fdopendir(fd);
  if (d == NULL) {
    close(fd);
    return -1;
  }
  int status = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    const char *name = e->d_name;
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
      continue;
    int f = openat(dirfd(d), name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    if (f >= 0 && fstat(f, &st) == 0 && S_ISREG(st.st_mode)) {
      if (fchown(f, geteuid(), getegid()) != 0
          || fchmod(f, (st.st_mode & 0100) ? 0755 : 0644) != 0)
        status = -1;
      close(f);
      continue;
    }
    if (f >= 0)
      close(f);
    if (unlinkat(dirfd(d), name, 0) != 0) {
      int sub = openat(dirfd(d), name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (sub >= 0) {
        while (empty_at(sub, sub, 0))
          sub = openat(dirfd(d), name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        unlinkat(dirfd(d), name, AT_REMOVEDIR);
      }
    }
  }
  closedir(d);
  return status;
}

/* Bytes (allocated) and entries under the folder FD (closed here), links not
 * followed; stops early once past MAX_BYTES or MAX_ENTRIES. */
static void
tree_usage(int fd, int depth, unsigned long long *bytes, size_t *entries,
           unsigned long long max_bytes)
{
  DIR *d = fdopendir(fd);
  if (d == NULL) {
    close(fd);
    return;
  }
  struct dirent *e;
  while ((e = readdir(d)) != NULL && *bytes <= max_bytes && *entries <= MAX_ENTRIES) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    struct stat st;
    if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
      continue;
    ++*entries;
    *bytes += (unsigned long long) st.st_blocks * 512ULL;
    if (S_ISDIR(st.st_mode) && depth < MAX_DEPTH) {
      int sub = openat(dirfd(d), e->d_name,
                       O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (sub >= 0)
        tree_usage(sub, depth + 1, bytes, entries, max_bytes);
    }
  }
  closedir(d);
}

/* ===== In the child, between fork and exec =====
 * Only async-signal-safe calls here: everything else is prepared before. */

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
  const nng_limits *lim;
  const char *dir;            /* working folder (NULL: nngrade's) */
  const char *program;        /* a probe's program */
  char *const *argv;          /* the command */
  char **bwrap;               /* under bubblewrap: the whole command line */
  const char *paths[MAX_PATHS]; /* opened as FIRST_PATH_FD + i (see above) */
  size_t n_paths;
} plan;

/* clone(FLAGS) without a new stack: a fork, in new namespaces if asked. */
static pid_t
raw_fork(unsigned long flags)
{
#if defined(__s390__) || defined(__CRIS__)
  return (pid_t) syscall(SYS_clone, 0UL, flags, NULL, NULL, NULL);
#else
  return (pid_t) syscall(SYS_clone, flags, NULL, NULL, NULL, NULL);
#endif
}

static void
child_say(const char *what)
{
  static const char head[] = "nngrade sandbox: cannot ";
  ssize_t r = write(2, head, sizeof head - 1);
  r = write(2, what, strlen(what));
  r = write(2, "\n", 1);
  (void) r;
}

static _Noreturn void
child_die(const char *what)
{
  child_say(what);
  _exit(126);
}

static void
close_from(int first)
{
#ifdef SYS_close_range
  if (syscall(SYS_close_range, (unsigned) first, ~0U, 0) == 0)
    return;
#endif
  for (int fd = first; fd < 65536; fd++)
    close(fd);
}

static void
child_limit(int resource, rlim_t value)
{
  struct rlimit r = {value, value};
  setrlimit(resource, &r);
}

/* A session of its own, the standard files, the limits. */
static void
child_common(const plan *pl, int in_fd, int reply_fd, int out_fd, int report_fd)
{
  setsid();
  /* Move the pipe ends above the targets first, so that no dup2 below
   * overwrites one still needed. */
  int hi_in = in_fd >= 0 ? fcntl(in_fd, F_DUPFD, 20) : -1;
  int hi_reply = reply_fd >= 0 ? fcntl(reply_fd, F_DUPFD, 20) : -1;
  int hi_report = report_fd >= 0 ? fcntl(report_fd, F_DUPFD, 20) : -1;
  int hi_out = fcntl(out_fd, F_DUPFD, 20);
  int null_fd = open("/dev/null", O_RDONLY);
  if (hi_out < 0 || null_fd < 0)
    _exit(126);
  dup2(null_fd, 0);
  dup2(hi_out, 1);
  dup2(hi_out, 2);
  if (hi_in >= 0)
    dup2(hi_in, NNG_PROBE_IN);
  if (hi_reply >= 0)
    dup2(hi_reply, NNG_PROBE_OUT);
  if (hi_report >= 0)
    dup2(hi_report, REPORT_FD);
  close_from(hi_report >= 0 ? REPORT_FD + 1 : hi_in >= 0 ? NNG_PROBE_OUT + 1 : 3);

  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  signal(SIGPIPE, SIG_DFL);
  umask(022);

  const nng_limits *lim = pl->lim;
  rlim_t cpu = (rlim_t) ceil(lim->cpu_seconds);
  struct rlimit r = {cpu, cpu + 1};  /* SIGXCPU at the soft limit, SIGKILL a second later */
  setrlimit(RLIMIT_CPU, &r);
  child_limit(RLIMIT_AS, (rlim_t) lim->memory_bytes);
  child_limit(RLIMIT_FSIZE, (rlim_t) lim->file_bytes);
  child_limit(RLIMIT_CORE, 0);
  child_limit(RLIMIT_NOFILE, 64);
}

/* Become the sandbox user (when root), then no new privileges, death with
 * nngrade. (A probe's supervisor forbids the probe processes of its own.) */
static void
child_drop(void)
{
  if (sb.root) {
    /* raw system calls: this one thread only, no glibc state involved */
    if (syscall(SYS_setgroups, 0, NULL) != 0
        || syscall(SYS_setresgid, sb.gid, sb.gid, sb.gid) != 0
        || syscall(SYS_setresuid, sb.uid, sb.uid, sb.uid) != 0)
      child_die("become the sandbox user");
    if (syscall(SYS_setresuid, 0, 0, 0) == 0)
      child_die("drop root for good");
  }
  prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
  prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
}

/* Open the paths a tool names, as FIRST_PATH_FD + i. */
static void
child_open_paths(const plan *pl)
{
  for (size_t i = 0; i < pl->n_paths; i++) {
    int fd = open(pl->paths[i], O_PATH);
    if (fd < 0)
      child_die("open a path the command names");
    if (fd != FIRST_PATH_FD + (int) i) {
      if (dup2(fd, FIRST_PATH_FD + (int) i) < 0)
        child_die("place a path the command names");
      close(fd);
    }
  }
}

/* Open the probe's program as PROGRAM_FD, kept across exec (before any
 * other file is opened: the lowest free number is then PROGRAM_FD or
 * below), and the supervisor, to be run from *SUP_FD. */
static void
child_open_programs(const plan *pl, int *sup_fd)
{
  int fd = open(pl->program, O_PATH);
  if (fd < 0)
    child_die("open the program");
  if (fd != PROGRAM_FD && (dup2(fd, PROGRAM_FD) != PROGRAM_FD || close(fd) != 0))
    child_die("place the program");
  if ((*sup_fd = open(sb.supervisor, O_PATH | O_CLOEXEC)) < 0)
    child_die("open the probes' supervisor");
}

/* Run the command; a probe under its supervisor, which runs the program
 * PROGRAM (SUP_FD: the supervisor, opened beforehand; -1: by its path). */
static _Noreturn void
child_exec(const plan *pl, int sup_fd, const char *program)
{
  if (pl->probe) {
    char report[] = {'0' + REPORT_FD, '\0'};
    char *const argv[] = {sb.supervisor, report, (char *) program, NULL};
    if (sup_fd >= 0)
      syscall(SYS_execveat, sup_fd, "", argv, clean_env, AT_EMPTY_PATH);
    else
      execve(sb.supervisor, argv, clean_env);
  } else {
    execvpe(pl->argv[0], pl->argv, clean_env);
  }
  _exit(127);
}

/* "/proc/self/fd/FD" into BUF (of 32 bytes at least). */
static void
fd_path(char *buf, int fd)
{
  static const char head[] = "/proc/self/fd/";
  char digits[16];
  int n = 0;
  do
    digits[n++] = (char) ('0' + fd % 10);
  while ((fd /= 10) > 0 && n < 15);
  memcpy(buf, head, sizeof head - 1);
  for (int i = 0; i < n; i++)
    buf[sizeof head - 1 + (size_t) i] = digits[n - 1 - i];
  buf[sizeof head - 1 + (size_t) n] = '\0';
}

/* Bind SOURCE at TARGET (made first: a folder, or an empty file), read-only
 * unless WRITABLE. */
static void
bind_into(const char *source, const char *target, int folder, int writable)
{
  if (folder ? mkdir(target, 0755) != 0 && errno != EEXIST
             : close(open(target, O_WRONLY | O_CREAT | O_CLOEXEC, 0644)) != 0)
    child_die("make a mount point in the new root");
  if (mount(source, target, "none", MS_BIND | MS_REC, NULL) != 0)
    child_die("bind a folder into the new root");
  if (!writable && mount("none", target, "none",
                         MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID, NULL) != 0)
    child_die("make a folder of the new root read-only");
}

/* Pid 1 of new pid, network, IPC, UTS and mount namespaces, still root.
 * It makes a root of the run's own, like bubblewrap's: a read-only tmpfs
 * (mounted over /tmp in this mount namespace) holding /usr, the /lib and
 * /bin links, /etc/ld.so.* and /etc/alternatives, a few devices, /proc of
 * the new pid namespace (hidepid=2: not even this process), a /tmp (for a
 * tool, writable) and the working folder, bound from a file descriptor at
 * WORK_IN_NS (for a probe, noexec). The run is started in it (chroot) as
 * the sandbox user; this process waits for it and ends as it ended (a
 * signal N as exit status 128 + N). When it ends, the kernel kills
 * whatever is left in the namespace. */
static _Noreturn void
child_namespaces(const plan *pl)
{
  int sup_fd = -1;
  if (pl->probe)
    child_open_programs(pl, &sup_fd);
  int dir_fd = open(pl->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0)
    child_die("open the working folder");
  if (!pl->probe)
    child_open_paths(pl);
  if (mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) != 0)
    child_die("make the mounts private");
  if (mount("tmpfs", NS_ROOT, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=755") != 0)
    child_die("mount the new root");
  bind_into("/usr", NS_ROOT "/usr", 1, 0);
  for (size_t i = 0; i < N_SYSTEM_DIRS; i++) {
    if (sb.sys_kind[i] == 1 && symlink(sb.sys_link[i], sb.sys_in[i]) != 0)
      child_die("link a system folder");
    if (sb.sys_kind[i] == 2)
      bind_into(system_dirs[i], sb.sys_in[i], 1, 0);
  }
  if (mkdir(NS_ROOT "/etc", 0755) != 0 || mkdir(NS_ROOT "/dev", 0755) != 0
      || mkdir(NS_ROOT "/proc", 0555) != 0 || mkdir(NS_ROOT "/tmp", 01777) != 0)
    child_die("make the folders of the new root");
  for (size_t i = 0; i < N_ETC; i++)
    if (sb.etc_kind[i] != 0)
      bind_into(etc_paths[i], sb.etc_in[i], sb.etc_kind[i] == 2, 0);
  for (size_t i = 0; i < N_DEV; i++)
    bind_into(dev_nodes[i], sb.dev_in[i], 0, 1);
  if (sb.course_lib_in[0] != '\0'
      && mount("/dev/null", sb.course_lib_in, "none", MS_BIND, NULL) != 0)
    child_die("cover the course library");
  if (!pl->probe && mount("tmpfs", NS_ROOT "/tmp", "tmpfs", MS_NOSUID | MS_NODEV,
                          "size=64m,mode=1777") != 0)
    child_die("mount /tmp");
  char source[32];
  fd_path(source, dir_fd);
  bind_into(source, NS_ROOT WORK_IN_NS, 1, 1);
  if (pl->probe  /* what a probe writes, it cannot run */
      && mount("none", NS_ROOT WORK_IN_NS, "none", MS_REMOUNT | MS_BIND | MS_NOSUID
               | MS_NODEV | MS_NOEXEC, NULL) != 0)
    child_die("make the working folder noexec");
  if (mount("proc", NS_ROOT "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
            "hidepid=2") != 0)
    child_die("mount /proc");
  if (mount("none", NS_ROOT, "none", MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL)
      != 0)
    child_die("make the new root read-only");
  prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  /* A raw fork: this process was made by a raw clone, and glibc's fork
   * would wait on state copied from nngrade. */
  pid_t pid = raw_fork(SIGCHLD);
  if (pid == 0) {
    if (chroot(NS_ROOT) != 0 || chdir(WORK_IN_NS) != 0)
      child_die("enter the new root");
    close(dir_fd);
    child_drop();
    child_exec(pl, sup_fd, PROGRAM_FD_PATH);
  }
  if (pid < 0)
    child_die("start the run");
  close_from(0);  /* no pipe end stays open here */
  int status = 0;
  for (;;) {
    pid_t w = waitpid(-1, &status, 0);
    if (w == pid)
      break;
    if (w < 0 && errno != EINTR)
      _exit(126);
  }
  _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
}

static _Noreturn void
child_main(const plan *pl, int in_fd, int reply_fd, int out_fd, int report_fd)
{
  child_common(pl, in_fd, reply_fd, out_fd, report_fd);
  if (pl->trusted) {
    if (pl->dir != NULL && chdir(pl->dir) != 0)
      _exit(126);
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    child_exec(pl, -1, NULL);
  }
  switch (pl->kind) {
  case NNG_SANDBOX_BWRAP:
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    execve(pl->bwrap[0], pl->bwrap, clean_env);
    _exit(127);
  case NNG_SANDBOX_NAMESPACES:
    child_namespaces(pl);
  case NNG_SANDBOX_USER:
  case NNG_SANDBOX_NONE:
  default: {
    int sup_fd = -1;
    if (pl->probe)
      child_open_programs(pl, &sup_fd);
    else
      child_open_paths(pl);
    if (chdir(pl->dir) != 0)
      child_die("enter the working folder");
    child_drop();
    child_exec(pl, sup_fd, PROGRAM_FD_PATH);
  }
  }
}

/* ===== Preparing a run, in nngrade ===== */

typedef struct strvec {
  char **v;
  size_t n, cap;
  int bad;
} strvec;

static void
sv_add(strvec *s, const char *w)
{
  if (s->bad)
    return;
  if (s->n + 2 > s->cap) {
    size_t cap = s->cap ? 2 * s->cap : 64;
    char **v = realloc(s->v, cap * sizeof *v);
    if (v == NULL) {
      s->bad = 1;
      return;
    }
    s->v = v;
    s->cap = cap;
  }
  if ((s->v[s->n] = strdup(w)) == NULL) {
    s->bad = 1;
    return;
  }
  s->v[++s->n] = NULL;
}

static void
sv_free(char **v)
{
  for (size_t i = 0; v != NULL && v[i] != NULL; i++)
    free(v[i]);
  free(v);
}

/* The path an argument of a tool names: "/x", "-I/x" or "-L/x"; else NULL. */
static const char *
named_path(const char *arg)
{
  if (arg[0] == '/')
    return arg;
  if ((strncmp(arg, "-I", 2) == 0 || strncmp(arg, "-L", 2) == 0) && arg[2] == '/')
    return arg + 2;
  return NULL;
}

/* 1 when every run can see PATH anyway: the system's programs and libraries. */
static int
system_path(const char *path)
{
  return path_under(path, "/usr") && !path_under(path, "/usr/local");
}

/* Add "HOW PATH PATH" (a bind), after making the folders above PATH that
 * bubblewrap would otherwise make unreadable (mode 0700, as root). */
static void
sv_bind(strvec *s, const char *how, const char *path, int tool)
{
  char up[PATH_MAX];
  snprintf(up, sizeof up, "%s", path);
  for (char *slash = strchr(up + 1, '/'); slash != NULL; slash = strchr(slash + 1, '/')) {
    *slash = '\0';
    if (!path_under(up, "/usr") && !path_under(up, "/dev") && !path_under(up, "/proc")
        && !(tool && strcmp(up, "/tmp") == 0)) {  /* a tool's /tmp: its own tmpfs */
      sv_add(s, "--perms");
      sv_add(s, "0755");
      sv_add(s, "--dir");
      sv_add(s, up);
    }
    *slash = '/';
  }
  sv_add(s, how);
  sv_add(s, path);
  sv_add(s, path);
}

/* The bubblewrap command line for PL, or NULL when out of memory. */
static char **
bwrap_command(const plan *pl)
{
  strvec s = {0};
  char num[64];
  sv_add(&s, sb.bwrap);
  sv_add(&s, "--unshare-pid");
  sv_add(&s, "--unshare-net");
  sv_add(&s, "--unshare-ipc");
  sv_add(&s, "--unshare-uts");
  sv_add(&s, "--unshare-cgroup-try");
  if (!sb.root)
    sv_add(&s, "--unshare-user");
  sv_add(&s, "--die-with-parent");
  sv_add(&s, "--ro-bind");
  sv_add(&s, "/usr");
  sv_add(&s, "/usr");
  for (size_t i = 0; i < N_SYSTEM_DIRS; i++) {
    if (sb.sys_kind[i] == 1) {
      sv_add(&s, "--symlink");
      sv_add(&s, sb.sys_link[i]);
      sv_add(&s, system_dirs[i]);
    } else if (sb.sys_kind[i] == 2) {
      sv_add(&s, "--ro-bind");
      sv_add(&s, system_dirs[i]);
      sv_add(&s, system_dirs[i]);
    }
  }
  for (size_t i = 0; i < N_ETC; i++)  /* alternatives: libblas, cc */
    if (sb.etc_kind[i] != 0)
      sv_bind(&s, "--ro-bind", etc_paths[i], 0);
  sv_add(&s, "--proc");
  sv_add(&s, "/proc");
  sv_add(&s, "--dev");
  sv_add(&s, "/dev");
  if (pl->probe) {
    sv_bind(&s, "--ro-bind", pl->program, 0);
    sv_bind(&s, "--ro-bind", sb.supervisor, 0);
  } else {
    snprintf(num, sizeof num, "%d", 64 << 20);
    sv_add(&s, "--size");
    sv_add(&s, num);
    sv_add(&s, "--perms");
    sv_add(&s, "1777");
    sv_add(&s, "--tmpfs");
    sv_add(&s, "/tmp");
    for (size_t i = 0; pl->argv[i] != NULL; i++) {
      const char *p = named_path(pl->argv[i]);
      if (p == NULL || system_path(p) || path_under(p, pl->dir))
        continue;
      sv_bind(&s, "--ro-bind-try", p, 1);
    }
  }
  sv_bind(&s, "--bind", pl->dir, !pl->probe);
  if (sb.course_lib_in[0] != '\0') {
    sv_add(&s, "--ro-bind");
    sv_add(&s, "/dev/null");
    sv_add(&s, sb.course_lib);
  }
  sv_add(&s, "--remount-ro");
  sv_add(&s, "/");
  sv_add(&s, "--remount-ro");
  sv_add(&s, "/dev");
  sv_add(&s, "--chdir");
  sv_add(&s, pl->dir);
  sv_add(&s, "--");
  if (sb.root) {
    sv_add(&s, sb.setpriv);
    snprintf(num, sizeof num, "--reuid=%lu", (unsigned long) sb.uid);
    sv_add(&s, num);
    snprintf(num, sizeof num, "--regid=%lu", (unsigned long) sb.gid);
    sv_add(&s, num);
    sv_add(&s, "--clear-groups");
    sv_add(&s, "--bounding-set=-all");
    sv_add(&s, "--no-new-privs");
    sv_add(&s, "--");
  }
  if (pl->probe) {
    sv_add(&s, sb.supervisor);
    snprintf(num, sizeof num, "%d", REPORT_FD);
    sv_add(&s, num);
    sv_add(&s, pl->program);
  } else {
    for (size_t i = 0; pl->argv[i] != NULL; i++)
      sv_add(&s, pl->argv[i]);
  }
  if (s.bad) {
    sv_free(s.v);
    return NULL;
  }
  return s.v;
}

/* For a tool run as the sandbox user without bubblewrap: the command with
 * each path it names as /proc/self/fd/N (PL->paths). NULL when out of
 * memory. */
static char **
fd_command(plan *pl)
{
  strvec s = {0};
  for (size_t i = 0; pl->argv[i] != NULL; i++) {
    const char *a = pl->argv[i], *p = named_path(a);
    if (i == 0 || p == NULL || system_path(p) || pl->n_paths == MAX_PATHS
        || !sb.root) {
      sv_add(&s, a);
      continue;
    }
    char w[128];
    snprintf(w, sizeof w, "%.*s/proc/self/fd/%d", (int) (p - a), a,
             FIRST_PATH_FD + (int) pl->n_paths);
    pl->paths[pl->n_paths++] = p;
    sv_add(&s, w);
  }
  if (s.bad) {
    sv_free(s.v);
    return NULL;
  }
  return s.v;
}

/* Start PL with the given pipe ends; the pid, or -1 with errno. */
static pid_t
spawn(plan *pl, int in_fd, int reply_fd, int out_fd, int report_fd)
{
  if (pl->probe && sb.supervisor[0] == '\0') {
    errno = ENOENT;
    return -1;
  }
  char **bw = NULL, **argv = NULL, *const *given = pl->argv;
  if (!pl->trusted && pl->kind == NNG_SANDBOX_BWRAP) {
    if ((bw = bwrap_command(pl)) == NULL) {
      errno = ENOMEM;
      return -1;
    }
    pl->bwrap = bw;
  } else if (!pl->trusted && !pl->probe) {
    if ((argv = fd_command(pl)) == NULL) {
      errno = ENOMEM;
      return -1;
    }
    pl->argv = argv;
  }
  fflush(stdout);
  fflush(stderr);
  pid_t pid;
  if (!pl->trusted && pl->kind == NNG_SANDBOX_NAMESPACES) {
    pid = raw_fork(CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS
                   | SIGCHLD);
  } else {
    pid = fork();
  }
  if (pid == 0)
    child_main(pl, in_fd, reply_fd, out_fd, report_fd);
  int saved = errno;
  sv_free(bw);
  sv_free(argv);
  pl->bwrap = NULL;
  pl->argv = given;
  errno = saved;
  return pid;
}

static void
plan_init(plan *pl, nng_sandbox_kind kind, int trusted, const nng_limits *lim,
          const char *dir)
{
  memset(pl, 0, sizeof *pl);
  pl->kind = kind;
  pl->trusted = trusted;
  pl->lim = lim;
  pl->dir = dir;
}

/* ===== Reading what a run prints ===== */

static void
keep_output(nng_probe *p, const char *buf, size_t n)
{
  p->output_total += n;
  size_t room = p->limits.output_keep - p->output_len;
  size_t take = n < room ? n : room;
  memcpy(p->output + p->output_len, buf, take);
  p->output_len += take;
  p->output[p->output_len] = '\0';
}

/* Read what is available on out_fd; -1 on end of file. */
static int
drain_output(nng_probe *p)
{
  char buf[4096];
  ssize_t r = read(p->out_fd, buf, sizeof buf);
  if (r < 0)
    return errno == EINTR || errno == EAGAIN ? 0 : -1;
  if (r == 0)
    return -1;
  keep_output(p, buf, (size_t) r);
  return 0;
}

static const char *
describe_signal(int sig)
{
  switch (sig) {
  case SIGSEGV:
    return "crashed with a segmentation fault (SIGSEGV): a read or write outside "
           "its memory, such as an index out of range or a NULL pointer, or a "
           "recursion too deep for the stack";
  case SIGBUS:
    return "crashed with a bus error (SIGBUS): a bad memory access";
  case SIGFPE:
    return "crashed with an arithmetic error (SIGFPE), such as an integer "
           "division by zero";
  case SIGABRT:
    return "aborted (SIGABRT): abort() or a failed assert()";
  case SIGILL:
    return "crashed with an illegal instruction (SIGILL)";
  default:
    return NULL;
  }
}

/* Put into p->reason why the probe ended with wait status STATUS and
 * resource usage RU (NULL: unknown), as its supervisor measured them, or as
 * nngrade saw them (INIT: the process reaped was an init that passes a
 * death by signal N on as exit status 128 + N). */
static void
explain_end(nng_probe *p, int status, const struct rusage *ru, int init)
{
  double cpu = ru ? (double) ru->ru_utime.tv_sec + 1e-6 * (double) ru->ru_utime.tv_usec
                        + (double) ru->ru_stime.tv_sec + 1e-6 * (double) ru->ru_stime.tv_usec
                  : 0.0;
  double mib = ru ? (double) ru->ru_maxrss / 1024.0 : 0.0;
  int exited = WIFEXITED(status), code = exited ? WEXITSTATUS(status) : 0;
  int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  if (init && exited && code > 128 && code < 128 + 65) {
    sig = code - 128;  /* an init passes a death by signal on as 128 + signal */
    exited = 0;
  }
  if (exited) {
    snprintf(p->reason, sizeof p->reason,
             "ended (exit status %d) before it answered: something in your "
             "code called exit()", code);
  } else if (sig != 0) {
    const char *what = describe_signal(sig);
    if (sig == SIGXCPU || (sig == SIGKILL && cpu >= p->limits.cpu_seconds - 0.05))
      snprintf(p->reason, sizeof p->reason,
               "used more than %g s of CPU time (an endless loop?)",
               p->limits.cpu_seconds);
    else if (sig == SIGXFSZ)
      snprintf(p->reason, sizeof p->reason, "wrote a file larger than the limit of "
               "%g MiB (SIGXFSZ)", (double) p->limits.file_bytes / (1 << 20));
    else if (what != NULL && ru != NULL)
      snprintf(p->reason, sizeof p->reason, "%s (peak memory %.0f MiB of %zu MiB)",
               what, mib, p->limits.memory_bytes >> 20);
    else if (what != NULL)
      snprintf(p->reason, sizeof p->reason, "%s", what);
    else if (sig == SIGKILL)
      snprintf(p->reason, sizeof p->reason, "was killed (SIGKILL) before it answered: by "
               "itself, or by the system for want of memory");
    else
      snprintf(p->reason, sizeof p->reason, "was killed by signal %d (%s)", sig,
               strsignal(sig));
  } else {
    snprintf(p->reason, sizeof p->reason, "stopped in an unknown way");
  }
}

/* The supervisor's report (supervise.c), once it has ended: the probe's
 * wait status and resource usage. 1 when there is one. */
static int
read_report(nng_probe *p, int *status, struct rusage *ru)
{
  char line[256];
  size_t n = 0;
  ssize_t r;
  if (p->report_fd < 0)
    return 0;
  while (n < sizeof line - 1
         && ((r = read(p->report_fd, line + n, sizeof line - 1 - n)) > 0
             || (r < 0 && errno == EINTR)))
    n += r > 0 ? (size_t) r : 0;
  line[n] = '\0';
  long long user, sys;
  long rss;
  if (sscanf(line, "nngrade-supervise: status %d utime_us %lld stime_us %lld "
             "maxrss_kib %ld", status, &user, &sys, &rss) != 4)
    return 0;
  memset(ru, 0, sizeof *ru);
  ru->ru_utime.tv_sec = (time_t) (user / 1000000);
  ru->ru_utime.tv_usec = (suseconds_t) (user % 1000000);
  ru->ru_stime.tv_sec = (time_t) (sys / 1000000);
  ru->ru_stime.tv_usec = (suseconds_t) (sys % 1000000);
  ru->ru_maxrss = rss;
  return 1;
}

/* Kill the process group, reap the leader, explain its end when unexplained. */
static void
kill_and_reap(nng_probe *p)
{
  if (p->pid <= 0)
    return;
  int status = 0;
  struct rusage ru;
  memset(&ru, 0, sizeof ru);
  /* Give a probe that is already ending a moment to do so, for an honest
   * exit status; then kill the group, stray children included, and the
   * leader itself (in case it has not made its group yet). */
  pid_t w = 0;
  for (int i = 0; i < 20 && w == 0; i++) {
    w = wait4(p->pid, &status, WNOHANG, &ru);
    if (w == 0 && p->failed && p->reason[0] == '\0') {
      struct timespec t = {0, 5000000};
      nanosleep(&t, NULL);
    } else if (w == 0) {
      break;
    }
  }
  kill(-p->pid, SIGKILL);
  if (w == 0) {
    kill(p->pid, SIGKILL);
    while ((w = wait4(p->pid, &status, 0, &ru)) < 0 && errno == EINTR)
      ;
  }
  if (p->failed && p->reason[0] == '\0' && w == p->pid) {
    /* how the probe itself ended, from its supervisor; else from its
     * sandbox, whose resource usage is not the probe's own */
    if (read_report(p, &status, &ru))
      explain_end(p, status, &ru, 0);
    else
      explain_end(p, status, p->via_init ? NULL : &ru, p->via_init);
  }
  p->pid = 0;
}

static void
fail(nng_probe *p, const char *fmt, const char *arg, double num)
{
  p->failed = 1;
  if (fmt != NULL)
    snprintf(p->reason, sizeof p->reason, fmt, arg ? arg : "", num);
}

/* Measure what the probe left in its folder; too much fails it. */
static void
check_disk(nng_probe *p)
{
  p->next_disk_check = nng_now() + 0.25;
  if (p->limits.disk_bytes == 0 || p->dir[0] == '\0' || p->failed)
    return;
  int fd = open(p->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return;
  unsigned long long bytes = 0;
  size_t entries = 0;
  tree_usage(fd, 0, &bytes, &entries, p->limits.disk_bytes);
  if (bytes > p->limits.disk_bytes)
    fail(p, "filled its folder with more than %s%g MiB of files (writing files "
            "endlessly?)", "", (double) p->limits.disk_bytes / (1 << 20));
  else if (entries > MAX_ENTRIES)
    fail(p, "created more than %s%g files and folders (creating files endlessly?)",
         "", (double) MAX_ENTRIES);
}

/* ===== Wall-clock time, whatever the load =====
 * The wall-clock limit stops a run that waits for something that never
 * comes; the CPU limit stops one that computes too long. On a loaded
 * machine a run also waits for a CPU, which says nothing about the run: so
 * the time the run's processes waited in the scheduler's queue (the second
 * field of /proc/PID/schedstat, in nanoseconds) does not count against its
 * wall-clock limit. A run is stopped when, past its deadline, that time no
 * longer moves its deadline on; a run waits this way at most MAX_STRETCH
 * times its limits, however loaded the machine. Without schedstat (a
 * kernel without CONFIG_SCHED_INFO), the plain wall-clock limit holds. */

#define MAX_STRETCH 20.0

/* Seconds the live processes of the process group PGID have waited for a
 * CPU. */
static double
group_run_delay(pid_t pgid)
{
  DIR *d = opendir("/proc");
  if (d == NULL)
    return 0.0;
  double delay = 0.0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    char *end, path[64], buf[512];
    long pid = strtol(e->d_name, &end, 10);
    if (pid <= 0 || *end != '\0')
      continue;
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
      continue;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
      continue;
    buf[n] = '\0';
    /* "pid (comm) state ppid pgrp ...": comm may hold anything but ends at
     * the last ')' */
    char *close_paren = strrchr(buf, ')');
    char state;
    long ppid, pgrp;
    if (close_paren == NULL
        || sscanf(close_paren + 1, " %c %ld %ld", &state, &ppid, &pgrp) != 3
        || pgrp != (long) pgid)
      continue;
    snprintf(path, sizeof path, "/proc/%ld/schedstat", pid);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
      continue;
    n = read(fd, buf, sizeof buf - 1);
    close(fd);
    unsigned long long on_cpu, waited;
    buf[n > 0 ? n : 0] = '\0';
    if (sscanf(buf, "%llu %llu", &on_cpu, &waited) == 2)
      delay += 1e-9 * (double) waited;
  }
  closedir(d);
  return delay;
}

/* A run of process group PGID, started at STARTED under LIM, is at its
 * deadline *DEADLINE: move it on by the time the run waited for a CPU.
 * 1 when the run's time is really up. */
static int
time_is_up(pid_t pgid, double started, const nng_limits *lim, double *deadline)
{
  double waited = group_run_delay(pgid);
  double most = MAX_STRETCH * (lim->wall_seconds + lim->cpu_seconds);
  double later = started + lim->wall_seconds + (waited < most ? waited : most);
  if (later > *deadline + 0.001) {
    *deadline = later;
    return 0;
  }
  return 1;
}

/* ===== Probes ===== */

int
nng_probe_start(nng_probe *p, const char *program, const char *dir,
                const nng_limits *lim)
{
  nng_sandbox_kind kind = nng_sandbox_init();
  memset(p, 0, sizeof *p);
  p->to_fd = p->from_fd = p->out_fd = p->report_fd = -1;
  p->limits = *lim;
  if (strlen(dir) >= sizeof p->dir) {  /* never a shortened path: it is emptied */
    fail(p, "the working folder's name is too long: %s", dir, 0);
    return -1;
  }
  snprintf(p->dir, sizeof p->dir, "%s", dir);
  p->via_init = kind == NNG_SANDBOX_BWRAP ? 2 : kind == NNG_SANDBOX_NAMESPACES;
  p->output = calloc(1, lim->output_keep + 1);
  if (p->output == NULL) {
    fail(p, "out of memory", NULL, 0);
    return -1;
  }
  int pipes[4][2], made = 0;  /* requests, replies, output, report */
  while (made < 4 && pipe2(pipes[made], O_CLOEXEC) == 0)
    made++;
  if (made < 4) {
    int saved = errno;
    while (made-- > 0) {
      close(pipes[made][0]);
      close(pipes[made][1]);
    }
    fail(p, "could not create pipes: %s", strerror(saved), 0);
    return -1;
  }
  plan pl;
  plan_init(&pl, kind, 0, lim, dir);
  pl.probe = 1;
  pl.program = program;
  pid_t pid = spawn(&pl, pipes[0][0], pipes[1][1], pipes[2][1], pipes[3][1]);
  int saved = errno;
  close(pipes[0][0]);
  close(pipes[1][1]);
  close(pipes[2][1]);
  close(pipes[3][1]);
  p->to_fd = pipes[0][1];
  p->from_fd = pipes[1][0];
  p->out_fd = pipes[2][0];
  p->report_fd = pipes[3][0];
  if (pid < 0 && sb.supervisor[0] == '\0') {
    fail(p, "could not be started: the grader's probe supervisor is missing", NULL, 0);
    return -1;
  }
  if (pid < 0) {
    fail(p, "could not start the probe: %s", strerror(saved), 0);
    return -1;
  }
  p->pid = pid;
  p->started = nng_now();
  p->deadline = p->started + lim->wall_seconds;
  p->next_disk_check = nng_now() + 0.25;
  fcntl(p->to_fd, F_SETFL, O_NONBLOCK);
  fcntl(p->from_fd, F_SETFL, O_NONBLOCK);
  fcntl(p->out_fd, F_SETFL, O_NONBLOCK);
  fcntl(p->report_fd, F_SETFL, O_NONBLOCK);
  return 0;
}

/* The probe closed its reply pipe. Wait until it has ended (p->pid is then
 * a zombie, reaped later by kill_and_reap) or its time is up, reading what
 * it prints meanwhile, without spinning: a probe that sleeps costs nngrade
 * no CPU time. 1 when it ended; 0 when its time is up or it printed too
 * much. */
static int
wait_for_end(nng_probe *p)
{
  for (;;) {
    siginfo_t info;
    memset(&info, 0, sizeof info);
    if (waitid(P_PID, (id_t) p->pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0
        && info.si_pid == p->pid)
      return 1;
    double left = p->deadline - nng_now();
    if (p->output_total > p->limits.output_max)
      return 0;
    if (left <= 0) {
      if (time_is_up(p->pid, p->started, &p->limits, &p->deadline))
        return 0;
      continue;
    }
    /* 20 ms at a time: its end is noticed soon after, and nothing but the
     * output pipe wakes nngrade meanwhile */
    struct pollfd fd = {p->out_fd, POLLIN, 0};
    int n = poll(&fd, 1, left < 0.02 ? (int) ceil(left * 1000.0) : 20);
    if (n > 0 && drain_output(p) < 0) {
      close(p->out_fd);
      p->out_fd = -1;
    }
  }
}

/* The probe closed one of its pipes to nngrade: it died, exited, or closed
 * it and goes on. Wait for its end, reading what it prints, then find out
 * how it ended (however long a loaded machine takes to end it); or stop it
 * when its time is up. -1, for nng_probe_call. */
static int
closed_a_pipe(nng_probe *p)
{
  if (wait_for_end(p))
    fail(p, NULL, NULL, 0);  /* explained when reaped */
  else if (p->output_total > p->limits.output_max)
    fail(p, "printed more than %s%g MiB (an endless loop of printing?)", "",
         (double) (p->limits.output_max >> 20));
  else
    fail(p, "closed its pipe to the grader, then did not end within %s%g s of "
            "wall-clock time (waiting for something?)", "", p->limits.wall_seconds);
  kill_and_reap(p);
  return -1;
}

int
nng_probe_call(nng_probe *p, const nng_msg *req, nng_msg *rep)
{
  if (p->failed || p->pid <= 0)
    return -1;
  /* The frame to send: header, then payload. */
  uint32_t head[2] = {NNG_MSG_MAGIC, (uint32_t) req->len};
  size_t sent = 0, total = sizeof head + req->len;
  p->inlen = 0;

  for (;;) {
    long used = nng_msg_parse(rep, p->inbuf, p->inlen);
    if (used < 0) {
      fail(p, "the program replied with garbage: something in your code wrote "
              "to the grader's pipe", NULL, 0);
      kill_and_reap(p);
      return -1;
    }
    if (used > 0)
      return 0;

    double now = nng_now(), left = p->deadline - now;
    if (left <= 0 && !time_is_up(p->pid, p->started, &p->limits, &p->deadline))
      continue;
    if (left <= 0) {
      fail(p, "did not answer within %s%g s of wall-clock time (an endless loop, "
              "or waiting for something?)", "", p->limits.wall_seconds);
      kill_and_reap(p);
      return -1;
    }
    if (p->limits.disk_bytes > 0) {
      if (now >= p->next_disk_check) {
        check_disk(p);
        if (p->failed) {
          kill_and_reap(p);
          return -1;
        }
      }
      if (left > p->next_disk_check - now)
        left = p->next_disk_check - now;
    }
    struct pollfd fds[3] = {
      {p->from_fd, POLLIN, 0},
      {p->out_fd, POLLIN, 0},
      {sent < total ? p->to_fd : -1, POLLOUT, 0},
    };
    int n = poll(fds, 3, (int) ceil(left * 1000.0));
    if (n < 0 && errno != EINTR) {
      fail(p, "poll failed: %s", strerror(errno), 0);
      kill_and_reap(p);
      return -1;
    }
    if (n <= 0)
      continue;

    if (fds[1].revents & (POLLIN | POLLHUP)) {
      if (drain_output(p) < 0) {
        close(p->out_fd);
        p->out_fd = -1;
      } else if (p->output_total > p->limits.output_max) {
        fail(p, "printed more than %s%g MiB (an endless loop of printing?)", "",
             (double) (p->limits.output_max >> 20));
        kill_and_reap(p);
        return -1;
      }
    }
    if (fds[2].revents & (POLLOUT | POLLERR | POLLHUP)) {
      const unsigned char *src;
      size_t off, len;
      if (sent < sizeof head) {
        src = (const unsigned char *) head + sent;
        len = sizeof head - sent;
      } else {
        off = sent - sizeof head;
        src = req->buf + off;
        len = req->len - off;
      }
      ssize_t w = write(p->to_fd, src, len);
      if (w < 0 && errno != EAGAIN && errno != EINTR)
        return closed_a_pipe(p);
      if (w > 0)
        sent += (size_t) w;
    }
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      if (p->incap - p->inlen < 65536) {
        size_t cap = p->incap ? 2 * p->incap : 65536;
        if (cap > (size_t) NNG_MSG_MAX + 64) {
          fail(p, "the program replied with more data than any test needs", NULL, 0);
          kill_and_reap(p);
          return -1;
        }
        unsigned char *b = realloc(p->inbuf, cap);
        if (b == NULL) {
          fail(p, "out of memory reading the reply", NULL, 0);
          kill_and_reap(p);
          return -1;
        }
        p->inbuf = b;
        p->incap = cap;
      }
      ssize_t r = read(p->from_fd, p->inbuf + p->inlen, p->incap - p->inlen);
      if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR))
        return closed_a_pipe(p);
      if (r > 0)
        p->inlen += (size_t) r;
    }
  }
}

void
nng_probe_stop(nng_probe *p)
{
  if (p->to_fd >= 0)
    close(p->to_fd);
  p->to_fd = -1;
  kill_and_reap(p);
  if (p->from_fd >= 0)
    close(p->from_fd);
  if (p->out_fd >= 0) {
    /* What it printed after the last reply, for the feedback: all of it
     * once the pipe is at its end, which comes at once now that the probe
     * is dead; a second at most, should something else hold the pipe. */
    for (;;) {
      struct pollfd fd = {p->out_fd, POLLIN, 0};
      if (poll(&fd, 1, 1000) <= 0 || drain_output(p) < 0
          || p->output_total > p->limits.output_max)
        break;
    }
    close(p->out_fd);
  }
  if (p->report_fd >= 0)
    close(p->report_fd);
  p->from_fd = p->out_fd = p->report_fd = -1;
  free(p->inbuf);
  p->inbuf = NULL;
  p->inlen = p->incap = 0;
  /* What it left behind: measured, then removed, so that every test starts
   * in an empty folder. */
  if (p->dir[0] != '\0') {
    check_disk(p);
    empty_folder(p->dir);
  }
}

/* ===== Tools ===== */

static int
run_plan(plan *pl, char **output, char *reason, size_t reason_size)
{
  const nng_limits *lim = pl->lim;
  nng_probe p;
  memset(&p, 0, sizeof p);
  p.limits = *lim;
  p.to_fd = p.from_fd = p.report_fd = -1;
  p.via_init = pl->trusted ? 0 : pl->kind == NNG_SANDBOX_BWRAP ? 2
                                : pl->kind == NNG_SANDBOX_NAMESPACES;
  *output = NULL;
  reason[0] = '\0';
  p.output = calloc(1, lim->output_keep + 1);
  if (p.output == NULL) {
    snprintf(reason, reason_size, "out of memory");
    return -1;
  }
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) {
    snprintf(reason, reason_size, "could not create a pipe: %s", strerror(errno));
    free(p.output);
    return -1;
  }
  pid_t pid = spawn(pl, -1, -1, out[1], -1);
  int saved = errno;
  close(out[1]);
  p.out_fd = out[0];
  if (pid < 0) {
    snprintf(reason, reason_size, "could not start %s: %s", pl->argv[0],
             strerror(saved));
    close(p.out_fd);
    free(p.output);
    return -1;
  }
  p.pid = pid;
  p.started = nng_now();
  p.deadline = p.started + lim->wall_seconds;
  int timed_out = 0;
  fcntl(p.out_fd, F_SETFL, O_NONBLOCK);
  while (p.out_fd >= 0) {
    double left = p.deadline - nng_now();
    if (left <= 0 && !time_is_up(pid, p.started, lim, &p.deadline))
      continue;
    if (left <= 0) {
      timed_out = 1;
      break;
    }
    struct pollfd fd = {p.out_fd, POLLIN, 0};
    if (poll(&fd, 1, (int) ceil(left * 1000.0)) > 0 && drain_output(&p) < 0)
      break;
  }
  int status = 0;
  struct rusage ru;
  if (timed_out) {
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
  }
  while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR)
    ;
  kill(-pid, SIGKILL);
  close(p.out_fd);
  *output = p.output;
  if (timed_out) {
    snprintf(reason, reason_size, "took longer than %g s", lim->wall_seconds);
    return 1;
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
    snprintf(reason, reason_size, "could not run %s", pl->argv[0]);
    return -1;
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
    return 0;
  p.failed = 1;
  explain_end(&p, status, p.via_init ? NULL : &ru, p.via_init);
  if (strncmp(p.reason, "ended (exit status", 18) == 0)  /* a tool is not asked */
    snprintf(p.reason, sizeof p.reason, "failed (exit status %d)",
             WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  snprintf(reason, reason_size, "%s", p.reason);
  return 1;
}

int
nng_run_tool(char *const argv[], const char *dir, const nng_limits *lim,
             char **output, char *reason, size_t reason_size)
{
  plan pl;
  plan_init(&pl, NNG_SANDBOX_NONE, 1, lim, dir);
  pl.argv = argv;
  return run_plan(&pl, output, reason, reason_size);
}

int
nng_run_sandboxed_tool(char *const argv[], const char *dir, const nng_limits *lim,
                       char **output, char *reason, size_t reason_size)
{
  plan pl;
  plan_init(&pl, nng_sandbox_init(), 0, lim, dir);
  pl.argv = argv;
  return run_plan(&pl, output, reason, reason_size);
}

/* Try sandbox KIND once: a tool and a probe (the program `true`) in a
 * scratch folder. 0 when both ran; else -1 with what went wrong in WHY. */
static int
try_kind(nng_sandbox_kind kind, char *why, size_t n)
{
  const char *tmp = getenv("TMPDIR");
  char dir[PATH_MAX];
  snprintf(dir, sizeof dir, "%s/nngrade-try-XXXXXX",
           tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
  if (sb.truth[0] == '\0') {
    snprintf(why, n, "the program true is missing");
    return -1;
  }
  if (mkdtemp(dir) == NULL) {
    snprintf(why, n, "cannot create %s: %s", dir, strerror(errno));
    return -1;
  }
  if (sb.root && give_to(dir, sb.uid, sb.gid, 0700) != 0) {
    snprintf(why, n, "cannot hand %s to the sandbox user: %s", dir, strerror(errno));
    nng_sandbox_remove(dir);
    return -1;
  }
  nng_limits lim;
  nng_limits_for_test(&lim);
  lim.wall_seconds = 10;
  int status = 0;
  /* the probe only with its supervisor: its absence is told elsewhere */
  for (int probe = 0; probe <= (sb.supervisor[0] != '\0') && status == 0; probe++) {
    plan pl;
    char *argv[] = {sb.truth, NULL}, *out = NULL;
    plan_init(&pl, kind, 0, &lim, dir);
    pl.argv = argv;
    pl.probe = probe;
    pl.program = sb.truth;
    char reason[256];
    if (run_plan(&pl, &out, reason, sizeof reason) != 0) {
      /* the first line of what it said, else how it ended */
      char *nl = out ? strchr(out, '\n') : NULL;
      if (nl != NULL)
        *nl = '\0';
      snprintf(why, n, "%s", out != NULL && out[0] != '\0' ? out : reason);
      status = -1;
    }
    free(out);
  }
  nng_sandbox_remove(dir);
  return status;
}
