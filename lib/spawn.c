/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spawn.c: finding and running the programs that render figures (see spawn.h). */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <gsl/gsl_errno.h>

#include "spawn.h"

/* ===== Finding the program =====
 *
 * A path with a '/' in it is taken as it is; a bare name is looked up in the
 * folders of PATH, as a shell would. The lookup happens in the parent, so the
 * child can call execv() with a full path: between fork() and exec() only
 * async-signal-safe calls are allowed, and execvp() is not one of them.
 */

/* Longest path we resolve; longer ones are reported as not runnable. */
#define NN_SPAWN_PATH_MAX 4096

const char *
nn_spawn_path(const nn_spawn_program *prog)
{
  const char *env = getenv(prog->env);
  if (env != NULL && env[0] != '\0')
    return env;
  return prog->configured;
}

/* 1 when path names a regular file we may execute. */
static int
is_executable_file(const char *path)
{
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* Resolve the program to the full path execv() needs, into exe (size
 * NN_SPAWN_PATH_MAX). Returns 1 when found, 0 when not. */
static int
resolve(const nn_spawn_program *prog, char *exe)
{
  const char *path = nn_spawn_path(prog);
  size_t len = strlen(path);
  if (len == 0 || len >= NN_SPAWN_PATH_MAX)
    return 0;
  if (strchr(path, '/') != NULL) {
    memcpy(exe, path, len + 1);
    return is_executable_file(exe);
  }
  const char *dirs = getenv("PATH");
  if (dirs == NULL || dirs[0] == '\0')
    dirs = "/usr/local/bin:/usr/bin:/bin";
  /* PATH is a ':'-separated list; an empty entry means the current folder. */
  for (const char *start = dirs;; ) {
    const char *end = strchr(start, ':');
    size_t dlen = end != NULL ? (size_t) (end - start) : strlen(start);
    const char *dir = dlen > 0 ? start : ".";
    if (dlen == 0)
      dlen = 1;
    if (dlen + 1 + len < NN_SPAWN_PATH_MAX) {
      memcpy(exe, dir, dlen);
      exe[dlen] = '/';
      memcpy(exe + dlen + 1, path, len + 1);
      if (is_executable_file(exe))
        return 1;
    }
    if (end == NULL)
      return 0;
    start = end + 1;
  }
}

int
nn_spawn_available(const nn_spawn_program *prog)
{
  char exe[NN_SPAWN_PATH_MAX];
  return resolve(prog, exe);
}

/* The GSL_EUNSUP report: which program, where we looked, how to install it. */
static int
report_missing(const char *who, const nn_spawn_program *prog,
               const char *subject, const char *why)
{
  const char *path = nn_spawn_path(prog);
  const char *env = getenv(prog->env);
  int from_env = env != NULL && env[0] != '\0';
  char msg[1024];
  snprintf(msg, sizeof msg,
           "%s: cannot run %s: '%s'%s%s%s %s; install the Debian package %s"
           " (or set %s to the program); %s was not rendered",
           who, prog->name, path, from_env ? " (from " : "",
           from_env ? prog->env : "", from_env ? ")" : "",
           why, prog->package, prog->env, subject);
  GSL_ERROR(msg, GSL_EUNSUP);
}

/* ===== Running it =====
 *
 * Three pipes connect parent and child: the child's standard output, its
 * standard error, and a third one that tells the parent whether exec()
 * worked. That one is opened close-on-exec: a successful exec closes it and
 * the parent reads end-of-file; a failed chdir() or exec() writes the stage
 * and errno into it first. The parent reads stdout and stderr together with
 * poll(), so a child that fills one pipe while the parent waits on the other
 * cannot deadlock them.
 */

/* What the child reports when it could not get as far as running the program. */
struct child_failure {
  int stage;  /* 1: chdir() failed, 2: exec() failed */
  int err;    /* errno */
};

/* A growing buffer for standard output, bounded by NN_SPAWN_OUTPUT_MAX. */
struct capture {
  char *data;
  size_t len, cap;
  int too_long;  /* the program wrote more than the bound: the rest was read and dropped */
  int no_memory;
};

static void
capture_add(struct capture *c, const char *bytes, size_t n)
{
  if (c->too_long || c->no_memory)
    return;
  if (c->len + n > NN_SPAWN_OUTPUT_MAX) {
    c->too_long = 1;
    return;
  }
  if (c->len + n + 1 > c->cap) {  /* + 1: room for the final '\0' */
    size_t cap = c->cap > 0 ? c->cap : 4096;
    while (cap < c->len + n + 1)
      cap *= 2;
    char *data = realloc(c->data, cap);
    if (data == NULL) {
      c->no_memory = 1;
      return;
    }
    c->data = data;
    c->cap = cap;
  }
  memcpy(c->data + c->len, bytes, n);
  c->len += n;
}

/* The first lines of what the program wrote to standard error, each indented
 * on its own line, into msg after what is there already. Blank lines are
 * skipped; at most 8 lines are kept. */
static void
append_first_lines(char *msg, size_t size, const char *err, size_t errlen)
{
  size_t used = strlen(msg);
  int lines = 0;
  for (size_t i = 0; i < errlen && lines < 8;) {
    size_t j = i;
    while (j < errlen && err[j] != '\n')
      j++;
    size_t k = j;  /* drop trailing blanks and carriage returns */
    while (k > i && (err[k - 1] == ' ' || err[k - 1] == '\r' || err[k - 1] == '\t'))
      k--;
    if (k > i && used + 4 < size) {
      int n = snprintf(msg + used, size - used, "\n  %.*s", (int) (k - i), err + i);
      used = n > 0 && (size_t) n < size - used ? used + (size_t) n : size - 1;
      lines++;
    }
    i = j + 1;
  }
}

/* In the child, after fork(): only async-signal-safe calls from here on. */
static void __attribute__((noreturn))
child(const char *dir, const char *exe, char *const argv[],
      int devnull, int out_w, int err_w, int status_w)
{
  struct child_failure f = {0, 0};
  struct sigaction dfl;
  sigset_t none;

  /* A parent that ignores SIGPIPE or blocks signals should not pass that on. */
  memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  sigaction(SIGPIPE, &dfl, NULL);
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);

  /* dup2() clears close-on-exec on the copies: these three survive exec. */
  if (dup2(devnull, STDIN_FILENO) < 0 || dup2(out_w, STDOUT_FILENO) < 0
      || dup2(err_w, STDERR_FILENO) < 0) {
    f.stage = 2;
    f.err = errno;
  } else if (dir != NULL && chdir(dir) != 0) {
    f.stage = 1;
    f.err = errno;
  } else {
    execv(exe, argv);
    f.stage = 2;
    f.err = errno;
  }
  ssize_t ignored = write(status_w, &f, sizeof f);
  (void) ignored;
  _exit(127);
}

int
nn_spawn_run(const char *who, const nn_spawn_program *prog, const char *dir,
             const char *subject, const char *const args[], char **out)
{
  char exe[NN_SPAWN_PATH_MAX];
  char msg[1536];

  if (out != NULL)
    *out = NULL;
  if (!resolve(prog, exe))
    return report_missing(who, prog, subject,
                          strchr(nn_spawn_path(prog), '/') != NULL
                            ? "is not an executable file" : "was not found on PATH");

  /* argv: the program's full path, then args, then NULL. */
  size_t nargs = 0;
  while (args[nargs] != NULL)
    nargs++;
  char **argv = malloc((nargs + 2) * sizeof *argv);
  if (argv == NULL)
    GSL_ERROR("nn_spawn_run: out of memory for the argument vector", GSL_ENOMEM);
  argv[0] = exe;
  for (size_t i = 0; i < nargs; i++)
    argv[i + 1] = (char *) args[i];  /* execv() does not write to them */
  argv[nargs + 1] = NULL;

  int out_p[2] = {-1, -1}, err_p[2] = {-1, -1}, status_p[2] = {-1, -1};
  int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (devnull < 0 || pipe2(out_p, O_CLOEXEC) != 0 || pipe2(err_p, O_CLOEXEC) != 0
      || pipe2(status_p, O_CLOEXEC) != 0) {
    int e = errno;
    int fds[] = {devnull, out_p[0], out_p[1], err_p[0], err_p[1], status_p[0], status_p[1]};
    for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++)
      if (fds[i] >= 0)
        close(fds[i]);
    free(argv);
    snprintf(msg, sizeof msg, "%s: cannot start %s: %s", who, prog->name, strerror(e));
    GSL_ERROR(msg, GSL_EFAILED);
  }

  pid_t pid = fork();
  if (pid == 0)
    child(dir, exe, argv, devnull, out_p[1], err_p[1], status_p[1]);
  int fork_errno = errno;
  free(argv);
  close(devnull);
  close(out_p[1]);
  close(err_p[1]);
  close(status_p[1]);
  if (pid < 0) {
    close(out_p[0]);
    close(err_p[0]);
    close(status_p[0]);
    snprintf(msg, sizeof msg, "%s: cannot start %s: fork: %s", who, prog->name,
             strerror(fork_errno));
    GSL_ERROR(msg, GSL_EFAILED);
  }

  /* Read both pipes until the child has closed them (usually: has exited). */
  struct capture cap = {NULL, 0, 0, 0, 0};
  char err[NN_SPAWN_ERROR_MAX];
  size_t errlen = 0;
  struct pollfd fds[2] = {{out_p[0], POLLIN, 0}, {err_p[0], POLLIN, 0}};
  int open_fds = 2;
  while (open_fds > 0) {
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR)
        continue;
      break;
    }
    for (int k = 0; k < 2; k++) {
      if (fds[k].fd < 0 || fds[k].revents == 0)
        continue;
      char buf[8192];
      ssize_t n = read(fds[k].fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0) {  /* end of file (or an error: treated the same) */
        close(fds[k].fd);
        fds[k].fd = -1;
        open_fds--;
        continue;
      }
      if (k == 0) {
        capture_add(&cap, buf, (size_t) n);
      } else {
        size_t keep = (size_t) n < sizeof err - errlen ? (size_t) n : sizeof err - errlen;
        memcpy(err + errlen, buf, keep);
        errlen += keep;
      }
    }
  }
  for (int k = 0; k < 2; k++)
    if (fds[k].fd >= 0)
      close(fds[k].fd);

  /* Did the child get as far as exec()? */
  struct child_failure f = {0, 0};
  ssize_t got;
  do
    got = read(status_p[0], &f, sizeof f);
  while (got < 0 && errno == EINTR);
  close(status_p[0]);

  int wstatus = 0;
  while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
    ;

  if (got == (ssize_t) sizeof f && f.stage == 1) {
    free(cap.data);
    snprintf(msg, sizeof msg, "%s: cannot run %s in folder %s: %s", who,
             prog->name, dir != NULL ? dir : ".", strerror(f.err));
    GSL_ERROR(msg, GSL_EFAILED);
  }
  if (got == (ssize_t) sizeof f && f.stage == 2) {
    char why[256];
    free(cap.data);
    snprintf(why, sizeof why, "cannot be executed (%s)", strerror(f.err));
    return report_missing(who, prog, subject, why);
  }
  if (cap.no_memory) {
    free(cap.data);
    snprintf(msg, sizeof msg, "%s: out of memory reading the output of %s",
             who, prog->name);
    GSL_ERROR(msg, GSL_ENOMEM);
  }
  if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0) {
    free(cap.data);
    if (WIFSIGNALED(wstatus))
      snprintf(msg, sizeof msg, "%s: %s was killed by signal %d (%s) on %s",
               who, prog->name, WTERMSIG(wstatus), strsignal(WTERMSIG(wstatus)),
               subject);
    else
      snprintf(msg, sizeof msg, "%s: %s failed with exit status %d on %s",
               who, prog->name, WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1,
               subject);
    if (errlen > 0) {
      strncat(msg, ":", sizeof msg - strlen(msg) - 1);
      append_first_lines(msg, sizeof msg, err, errlen);
    }
    GSL_ERROR(msg, GSL_EFAILED);
  }
  if (cap.too_long) {
    free(cap.data);
    snprintf(msg, sizeof msg, "%s: %s wrote more than %zu bytes to its standard"
             " output on %s", who, prog->name, NN_SPAWN_OUTPUT_MAX, subject);
    GSL_ERROR(msg, GSL_EFAILED);
  }

  if (out == NULL) {
    free(cap.data);
    return GSL_SUCCESS;
  }
  if (cap.data == NULL) {  /* the program wrote nothing: an empty string */
    cap.data = malloc(1);
    if (cap.data == NULL)
      GSL_ERROR("nn_spawn_run: out of memory", GSL_ENOMEM);
  }
  cap.data[cap.len] = '\0';
  *out = cap.data;
  return GSL_SUCCESS;
}

/* ===== A program that keeps running ===== */

int
nn_spawn_start(const char *who, const nn_spawn_program *prog, const char *subject,
               nn_spawn_process *proc)
{
  char exe[NN_SPAWN_PATH_MAX];
  char msg[1024];
  *proc = (nn_spawn_process) {-1, -1, -1, -1};
  if (!resolve(prog, exe))
    return report_missing(who, prog, subject,
                          strchr(nn_spawn_path(prog), '/') != NULL
                            ? "is not an executable file" : "was not found on PATH");

  int in_p[2] = {-1, -1}, out_p[2] = {-1, -1}, err_p[2] = {-1, -1};
  int status_p[2] = {-1, -1};
  if (pipe2(in_p, O_CLOEXEC) != 0 || pipe2(out_p, O_CLOEXEC) != 0
      || pipe2(err_p, O_CLOEXEC) != 0 || pipe2(status_p, O_CLOEXEC) != 0) {
    int e = errno;
    int fds[] = {in_p[0], in_p[1], out_p[0], out_p[1], err_p[0], err_p[1],
                 status_p[0], status_p[1]};
    for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++)
      if (fds[i] >= 0)
        close(fds[i]);
    snprintf(msg, sizeof msg, "%s: cannot start %s: %s", who, prog->name, strerror(e));
    GSL_ERROR(msg, GSL_EFAILED);
  }
  char *argv[] = {exe, NULL};
  pid_t pid = fork();
  if (pid == 0)
    child(NULL, exe, argv, in_p[0], out_p[1], err_p[1], status_p[1]);
  int fork_errno = errno;
  close(in_p[0]);
  close(out_p[1]);
  close(err_p[1]);
  close(status_p[1]);
  if (pid < 0) {
    close(in_p[1]);
    close(out_p[0]);
    close(err_p[0]);
    close(status_p[0]);
    snprintf(msg, sizeof msg, "%s: cannot start %s: fork: %s", who, prog->name,
             strerror(fork_errno));
    GSL_ERROR(msg, GSL_EFAILED);
  }
  /* End of file on the status pipe: exec() worked. */
  struct child_failure f = {0, 0};
  ssize_t got;
  do
    got = read(status_p[0], &f, sizeof f);
  while (got < 0 && errno == EINTR);
  close(status_p[0]);
  *proc = (nn_spawn_process) {(int) pid, in_p[1], out_p[0], err_p[0]};
  if (got == (ssize_t) sizeof f && f.stage != 0) {
    nn_spawn_stop(proc);
    char why[256];
    snprintf(why, sizeof why, "cannot be executed (%s)", strerror(f.err));
    return report_missing(who, prog, subject, why);
  }
  return GSL_SUCCESS;
}

int
nn_spawn_stop(nn_spawn_process *proc)
{
  if (proc->pid <= 0)
    return -1;
  int fds[] = {proc->in, proc->out, proc->err};
  for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++)
    if (fds[i] >= 0)
      close(fds[i]);
  int wstatus = 0;
  while (waitpid((pid_t) proc->pid, &wstatus, 0) < 0 && errno == EINTR)
    ;
  *proc = (nn_spawn_process) {-1, -1, -1, -1};
  return wstatus;
}

/* ===== File names shared by the writers ===== */

int
nn_spawn_check_stem(const char *who, const char *name)
{
  char msg[512];
  if (name == NULL) {
    snprintf(msg, sizeof msg, "%s: the name must not be NULL", who);
    GSL_ERROR(msg, GSL_EINVAL);
  }
  int ok = name[0] != '\0' && name[0] != '.';
  for (const char *c = name; ok && *c != '\0'; c++)
    ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z')
         || (*c >= '0' && *c <= '9') || *c == '-' || *c == '_' || *c == '.';
  if (!ok) {
    snprintf(msg, sizeof msg, "%s: '%.200s' is not a plain file name: use letters,"
             " digits, '-', '_' and '.', not starting with '.' (and no folder)",
             who, name);
    GSL_ERROR(msg, GSL_EINVAL);
  }
  return GSL_SUCCESS;
}

char *
nn_spawn_file_path(const char *dir, const char *stem, const char *ext)
{
  size_t dlen = strlen(dir);
  while (dlen > 1 && dir[dlen - 1] == '/')
    dlen--;
  size_t size = dlen + 1 + strlen(stem) + 1 + strlen(ext) + 1;
  char *path = malloc(size);
  if (path == NULL)
    return NULL;
  if (dlen == 1 && dir[0] == '/')  /* the root folder: "/stem.ext" */
    snprintf(path, size, "/%s.%s", stem, ext);
  else
    snprintf(path, size, "%.*s/%s.%s", (int) dlen, dir, stem, ext);
  return path;
}
