/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sandbox.c: running untrusted programs under limits: the limits, and the choice of the sandbox (see sandbox.h and sandbox-private.h). */
#include <config.h>

#include <nn/linalg.h>

#include "sandbox-private.h"

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
char *const clean_env[] = {
  "PATH=/usr/local/bin:/usr/bin:/bin", "LC_ALL=C", "OPENBLAS_NUM_THREADS=1",
  "OMP_NUM_THREADS=1", NULL
};

/* ===== The sandbox, chosen once ===== */

const char *const system_dirs[N_SYSTEM_DIRS] = {"/bin", "/sbin", "/lib", "/lib32",
                                                "/lib64", "/libx32"};
const char *const etc_paths[N_ETC] = {"/etc/ld.so.cache", "/etc/ld.so.conf",
                                      "/etc/ld.so.conf.d", "/etc/alternatives"};
const char *const dev_nodes[N_DEV] = {"/dev/null", "/dev/zero", "/dev/full",
                                      "/dev/random", "/dev/urandom"};

struct nng_sandbox_state nng_sb;

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
int
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
  snprintf(nng_sb.user, sizeof nng_sb.user, "%s", name);
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
      snprintf(nng_sb.user, sizeof nng_sb.user, "uid 65534");
    } else {
      g = *end == ':' ? strtoul(end + 1, NULL, 10) : u;
    }
  }
  if (u == 0 || g == 0) {
    fprintf(stderr, "nngrade: sandbox: student code never runs as root: it runs as uid "
            "65534 instead of %s\n", name);
    u = g = 65534;
    snprintf(nng_sb.user, sizeof nng_sb.user, "uid 65534");
  }
  nng_sb.uid = (uid_t) u;
  nng_sb.gid = (gid_t) g;
}

/* The course library's shared object, which student code must not load. */
static void
find_library(void)
{
  Dl_info info;
  nng_sb.course_lib[0] = '\0';
  if (dladdr((void *) nn_linalg_dot, &info) != 0 && info.dli_fname != NULL
      && strstr(info.dli_fname, ".so") != NULL
      && realpath(info.dli_fname, nng_sb.course_lib) == NULL)
    nng_sb.course_lib[0] = '\0';
}

/* What the root of a run in namespaces holds (see child_namespaces). */
static void
prepare_root(void)
{
  struct stat st;
  for (size_t i = 0; i < N_SYSTEM_DIRS; i++) {
    snprintf(nng_sb.sys_in[i], sizeof nng_sb.sys_in[i], "%s%s", NS_ROOT, system_dirs[i]);
    size_t room = sizeof nng_sb.sys_link[i] - 1;
    ssize_t n;
    if (lstat(system_dirs[i], &st) != 0)
      nng_sb.sys_kind[i] = 0;
    else if (S_ISLNK(st.st_mode) && (n = readlink(system_dirs[i], nng_sb.sys_link[i], room)) > 0) {
      nng_sb.sys_link[i][n] = '\0';
      nng_sb.sys_kind[i] = 1;
    } else {
      nng_sb.sys_kind[i] = S_ISDIR(st.st_mode) ? 2 : 0;
    }
  }
  for (size_t i = 0; i < N_ETC; i++) {
    snprintf(nng_sb.etc_in[i], sizeof nng_sb.etc_in[i], "%s%s", NS_ROOT, etc_paths[i]);
    nng_sb.etc_kind[i] = stat(etc_paths[i], &st) != 0 ? 0 : S_ISDIR(st.st_mode) ? 2 : 1;
  }
  for (size_t i = 0; i < N_DEV; i++)
    snprintf(nng_sb.dev_in[i], sizeof nng_sb.dev_in[i], "%s%s", NS_ROOT, dev_nodes[i]);
  nng_sb.course_lib_in[0] = '\0';
  if (nng_sb.course_lib[0] != '\0' && path_under(nng_sb.course_lib, "/usr"))
    snprintf(nng_sb.course_lib_in, sizeof nng_sb.course_lib_in, "%s%s", NS_ROOT, nng_sb.course_lib);
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
    snprintf(nng_sb.supervisor, sizeof nng_sb.supervisor, "%s/nngrade-supervise", dir);
    if (access(nng_sb.supervisor, X_OK) == 0)
      return;
  }
  snprintf(nng_sb.supervisor, sizeof nng_sb.supervisor, "%s", NNGRADE_SUPERVISOR);
  if (access(nng_sb.supervisor, X_OK) != 0) {
    fprintf(stderr, "nngrade: sandbox: the probes' supervisor %s is missing: is "
            "nncourse built and installed?\n", nng_sb.supervisor);
    nng_sb.supervisor[0] = '\0';
  }
}

nng_sandbox_kind
nng_sandbox_init(void)
{
  if (nng_sb.ready)
    return nng_sb.kind;
  nng_sb.ready = 1;
  nng_sb.root = geteuid() == 0;
  if (nng_sb.root)
    choose_user();
  find_library();
  find_supervisor();
  prepare_root();
  find_program("true", nng_sb.truth, sizeof nng_sb.truth);

  /* Bubblewrap, when it is there and works; setpriv, for root, must be in
   * /usr, where a run sees it. */
  const char *no = getenv("NNGRADE_NO_BWRAP");
  char why[512] = "";
  if (no != NULL && no[0] != '\0' && strcmp(no, "0") != 0) {
    snprintf(nng_sb.why_not_bwrap, sizeof nng_sb.why_not_bwrap, "turned off by NNGRADE_NO_BWRAP");
  } else if (!find_program("bwrap", nng_sb.bwrap, sizeof nng_sb.bwrap)) {
    snprintf(nng_sb.why_not_bwrap, sizeof nng_sb.why_not_bwrap, "not installed");
  } else if (nng_sb.root && (!find_program("setpriv", nng_sb.setpriv, sizeof nng_sb.setpriv)
                         || !path_under(nng_sb.setpriv, "/usr"))) {
    snprintf(nng_sb.why_not_bwrap, sizeof nng_sb.why_not_bwrap, "installed, but setpriv is "
             "not in /usr/bin (package util-linux)");
    fprintf(stderr, "nngrade: sandbox: bubblewrap is %s: not using it\n",
            nng_sb.why_not_bwrap);
  } else if (try_kind(NNG_SANDBOX_BWRAP, why, sizeof why) == 0) {
    nng_sb.kind = NNG_SANDBOX_BWRAP;
    snprintf(nng_sb.note, sizeof nng_sb.note, "sandbox: bubblewrap: student code runs%s%s in "
             "namespaces of its own, sees only its own folder, has no network and "
             "cannot start processes", nng_sb.root ? " as user " : "",
             nng_sb.root ? nng_sb.user : "");
    return nng_sb.kind;
  } else {
    snprintf(nng_sb.why_not_bwrap, sizeof nng_sb.why_not_bwrap, "installed but does not work "
             "here (%.200s)", why);
    fprintf(stderr, "nngrade: sandbox: bubblewrap is %s: not using it\n",
            nng_sb.why_not_bwrap);
  }

  if (!nng_sb.root) {
    nng_sb.kind = NNG_SANDBOX_NONE;
    snprintf(nng_sb.note, sizeof nng_sb.note, "warning: sandbox: none (bubblewrap is %s, and "
             "nngrade does not run as root): student code runs as you, under limits "
             "and a system-call filter only: it can read and change your files (the "
             "hidden tests, the grades). Install bubblewrap (Debian package "
             "bubblewrap) before grading a class", nng_sb.why_not_bwrap);
  } else if (try_kind(NNG_SANDBOX_NAMESPACES, why, sizeof why) == 0) {
    nng_sb.kind = NNG_SANDBOX_NAMESPACES;
    snprintf(nng_sb.note, sizeof nng_sb.note, "sandbox: namespaces (bubblewrap is %s): student "
             "code runs as user %s in namespaces of its own, sees only its own folder, "
             "has no network and cannot start processes", nng_sb.why_not_bwrap, nng_sb.user);
  } else {
    nng_sb.kind = NNG_SANDBOX_USER;
    fprintf(stderr, "nngrade: sandbox: cannot create namespaces here (%.200s)\n", why);
    snprintf(nng_sb.note, sizeof nng_sb.note, "warning: sandbox: user %s only (bubblewrap is %s, "
             "and namespaces are refused): student code cannot start processes, touch "
             "nngrade or other students' code, nor use the network, but it can read "
             "world-readable files and write in /tmp. Install bubblewrap", nng_sb.user,
             nng_sb.why_not_bwrap);
  }
  return nng_sb.kind;
}

const char *
nng_sandbox_describe(void)
{
  nng_sandbox_init();
  return nng_sb.note;
}

int
nng_sandbox_probes_ready(char *why, size_t n)
{
  nng_sandbox_init();
  if (nng_sb.supervisor[0] != '\0')
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

/* Try sandbox KIND once: a tool and a probe (the program `true`) in a
 * scratch folder. 0 when both ran; else -1 with what went wrong in WHY. */
static int
try_kind(nng_sandbox_kind kind, char *why, size_t n)
{
  const char *tmp = getenv("TMPDIR");
  char dir[PATH_MAX];
  snprintf(dir, sizeof dir, "%s/nngrade-try-XXXXXX",
           tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
  if (nng_sb.truth[0] == '\0') {
    snprintf(why, n, "the program true is missing");
    return -1;
  }
  if (mkdtemp(dir) == NULL) {
    snprintf(why, n, "cannot create %s: %s", dir, strerror(errno));
    return -1;
  }
  if (nng_sb.root && give_to(dir, nng_sb.uid, nng_sb.gid, 0700) != 0) {
    snprintf(why, n, "cannot hand %s to the sandbox user: %s", dir, strerror(errno));
    nng_sandbox_remove(dir);
    return -1;
  }
  nng_limits lim;
  nng_limits_for_test(&lim);
  lim.wall_seconds = 10;
  int status = 0;
  /* the probe only with its supervisor: its absence is told elsewhere */
  for (int probe = 0; probe <= (nng_sb.supervisor[0] != '\0') && status == 0; probe++) {
    plan pl;
    char *argv[] = {nng_sb.truth, NULL}, *out = NULL;
    plan_init(&pl, kind, 0, &lim, dir);
    pl.argv = argv;
    pl.probe = probe;
    pl.program = nng_sb.truth;
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
