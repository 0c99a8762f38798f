/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sandbox-probe.c: probes: started, called and stopped (see sandbox.h and sandbox-private.h). */
#include <config.h>

#include "sandbox-private.h"

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
  if (pid < 0 && nng_sb.supervisor[0] == '\0') {
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
