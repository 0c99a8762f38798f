/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sandbox-probe.c: probes: started, called and stopped (see sandbox.h and sandbox-private.h). */
#include <config.h>

#include "sandbox-private.h"

/* ===== The box: one sandbox for the probes of an exercise =====
 * nngrade makes the sandbox once, with the supervisor in it (supervise.c,
 * --serve), and hands it each test's pipes over a socket: the supervisor
 * starts a fresh probe with them and reports its end on the socket. */

int
nng_probe_box_open(nng_probe_box *box, const char *program, const char *dir,
                   const nng_limits *lim)
{
  memset(box, 0, sizeof *box);
  box->control_fd = box->out_fd = -1;
  box->limits = *lim;
  /* never a shortened path: the folder is emptied */
  if (strlen(dir) >= sizeof box->dir || strlen(program) >= sizeof box->program)
    return -1;
  snprintf(box->dir, sizeof box->dir, "%s", dir);
  snprintf(box->program, sizeof box->program, "%s", program);
  return 0;
}

/* Start BOX's sandbox. 0, or -1 with errno. */
static int
box_start(nng_probe_box *box)
{
  nng_sandbox_kind kind = nng_sandbox_init();
  int sock[2], out[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sock) != 0)
    return -1;
  if (pipe2(out, O_CLOEXEC) != 0) {
    int saved = errno;
    close(sock[0]);
    close(sock[1]);
    errno = saved;
    return -1;
  }
  plan pl;
  plan_init(&pl, kind, 0, &box->limits, box->dir);
  pl.probe = 1;
  pl.serve = 1;
  pl.program = box->program;
  pid_t pid = spawn(&pl, -1, -1, out[1], sock[1]);
  int saved = errno;
  close(sock[1]);
  close(out[1]);
  if (pid < 0) {
    close(sock[0]);
    close(out[0]);
    errno = saved;
    return -1;
  }
  box->pid = pid;
  box->control_fd = sock[0];
  box->out_fd = out[0];
  box->via_init = kind == NNG_SANDBOX_BWRAP ? 2 : kind == NNG_SANDBOX_NAMESPACES;
  fcntl(box->out_fd, F_SETFL, O_NONBLOCK);
  return 0;
}

/* End BOX's sandbox: kill its process group and reap its leader, whose
 * wait status goes into *STATUS (when not NULL). What the sandbox itself
 * printed goes to the output of P (when not NULL). */
static void
box_end(nng_probe_box *box, nng_probe *p, int *status)
{
  int st = 0;
  if (box->control_fd >= 0)
    close(box->control_fd);
  if (box->pid > 0) {
    kill(-box->pid, SIGKILL);
    kill(box->pid, SIGKILL);
    while (waitpid(box->pid, &st, 0) < 0 && errno == EINTR)
      ;
  }
  if (box->out_fd >= 0) {
    char buf[4096];
    ssize_t r;
    while ((r = read(box->out_fd, buf, sizeof buf)) > 0)
      if (p != NULL && p->output != NULL)
        keep_output(p, buf, (size_t) r);
    close(box->out_fd);
  }
  if (status != NULL)
    *status = st;
  box->pid = 0;
  box->control_fd = box->out_fd = -1;
}

void
nng_probe_box_close(nng_probe_box *box)
{
  if (box != NULL)
    box_end(box, NULL, NULL);
}

/* Hand the probe's ends of its pipes (requests, replies, output) to BOX's
 * supervisor, which starts the probe. 0, or -1 when the box is gone. */
static int
box_run(nng_probe_box *box, int in_fd, int reply_fd, int out_fd)
{
  int fds[3] = {in_fd, reply_fd, out_fd};
  union {
    struct cmsghdr align;
    char buf[CMSG_SPACE(sizeof fds)];
  } cmsg;
  memset(&cmsg, 0, sizeof cmsg);
  struct iovec iov = {"run", 3};
  struct msghdr msg = {0};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = cmsg.buf;
  msg.msg_controllen = sizeof cmsg.buf;
  struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof fds);
  memcpy(CMSG_DATA(c), fds, sizeof fds);
  ssize_t w;
  while ((w = sendmsg(box->control_fd, &msg, MSG_NOSIGNAL)) < 0 && errno == EINTR)
    ;
  return w == 3 ? 0 : -1;
}

/* The supervisor's report (supervise.c) on how the probe ended, when it is
 * there: p->ended becomes 1, with the probe's wait status and resource
 * usage; or 2 when the box's sandbox has ended instead (its own status). */
static void
take_report(nng_probe *p)
{
  char line[256];
  ssize_t r;
  while ((r = recv(p->report_fd, line, sizeof line - 1, MSG_DONTWAIT)) < 0
         && errno == EINTR)
    ;
  if (r < 0 && errno == EAGAIN)
    return;
  long long user, sys;
  long rss;
  int status;
  line[r > 0 ? r : 0] = '\0';
  if (r > 0 && sscanf(line, "nngrade-supervise: status %d utime_us %lld stime_us %lld "
                      "maxrss_kib %ld", &status, &user, &sys, &rss) == 4) {
    struct rusage *ru = &p->end_usage;
    memset(ru, 0, sizeof *ru);
    ru->ru_utime.tv_sec = (time_t) (user / 1000000);
    ru->ru_utime.tv_usec = (suseconds_t) (user % 1000000);
    ru->ru_stime.tv_sec = (time_t) (sys / 1000000);
    ru->ru_stime.tv_usec = (suseconds_t) (sys % 1000000);
    ru->ru_maxrss = rss;
    p->end_status = status;
    p->ended = 1;
    return;
  }
  /* the box's sandbox is gone (or talks nonsense): it ends, and the next
   * probe gets a new one */
  box_end(p->box, p, &p->end_status);
  p->report_fd = -1;
  p->ended = 2;
}

/* Wait at most SECONDS for the probe's end. 1 when it has ended. */
static int
await_end(nng_probe *p, double seconds)
{
  double until = nng_now() + seconds;
  while (!p->ended) {
    double left = until - nng_now();
    struct pollfd fd = {p->report_fd, POLLIN, 0};
    int n = poll(&fd, 1, left > 0 ? (int) ceil(left * 1000.0) : 0);
    if (n > 0)
      take_report(p);
    else if (n == 0 || errno != EINTR)
      return 0;
  }
  return 1;
}

/* Kill the probe and wait for its end; explain its end when unexplained. */
static void
kill_and_reap(nng_probe *p)
{
  if (p->pid <= 0)
    return;
  /* Give a probe that is already ending a moment to do so, for an honest
   * exit status; then kill it. */
  if (!p->ended && p->failed && p->reason[0] == '\0')
    await_end(p, 0.1);
  if (!p->ended) {
    ssize_t w;
    while ((w = send(p->report_fd, "kill", 4, MSG_NOSIGNAL)) < 0 && errno == EINTR)
      ;
    /* a supervisor that does not answer: its whole sandbox goes */
    if (w != 4 || !await_end(p, p->limits.wall_seconds + 5.0)) {
      box_end(p->box, p, &p->end_status);
      p->report_fd = -1;
      p->ended = 2;
    }
  }
  if (p->failed && p->reason[0] == '\0') {
    /* how the probe itself ended, from its supervisor; else from its
     * sandbox, whose resource usage is not the probe's own */
    if (p->ended == 1)
      explain_end(p, p->end_status, &p->end_usage, 0);
    else
      explain_end(p, p->end_status, NULL, p->box->via_init);
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
nng_probe_start_in(nng_probe *p, nng_probe_box *box)
{
  memset(p, 0, sizeof *p);
  p->to_fd = p->from_fd = p->out_fd = p->report_fd = -1;
  p->box = box;
  p->limits = box->limits;
  if (box->dir[0] == '\0' || box->program[0] == '\0') {
    fail(p, "the name of the working folder or of the program is too long%s", "", 0);
    return -1;
  }
  snprintf(p->dir, sizeof p->dir, "%s", box->dir);
  p->via_init = box->via_init;
  p->output = calloc(1, p->limits.output_keep + 1);
  if (p->output == NULL) {
    fail(p, "out of memory", NULL, 0);
    return -1;
  }
  int pipes[3][2], made = 0;  /* requests, replies, output */
  while (made < 3 && pipe2(pipes[made], O_CLOEXEC) == 0)
    made++;
  if (made < 3) {
    int saved = errno;
    while (made-- > 0) {
      close(pipes[made][0]);
      close(pipes[made][1]);
    }
    fail(p, "could not create pipes: %s", strerror(saved), 0);
    return -1;
  }
  /* A box whose sandbox has gone since its last probe gets a new one. */
  int fresh = 0, sent = -1, saved = 0;
  pid_t pid = 0;
  p->since = ticks_since_boot();
  for (int attempt = 0; attempt < 2 && sent != 0; attempt++) {
    if (box->pid <= 0) {
      if (nng_sb.supervisor[0] == '\0' || box_start(box) != 0) {
        saved = errno;
        break;
      }
      fresh = 1;
    }
    pid = box->pid;
    sent = box_run(box, pipes[0][0], pipes[1][1], pipes[2][1]);
    if (sent != 0 && fresh) {
      /* a new sandbox that ended at once: the probe ends as it did */
      p->pid = pid;
      p->report_fd = box->control_fd;
      take_report(p);
      break;
    }
    if (sent != 0)
      box_end(box, NULL, NULL);
  }
  close(pipes[0][0]);
  close(pipes[1][1]);
  close(pipes[2][1]);
  p->to_fd = pipes[0][1];
  p->from_fd = pipes[1][0];
  p->out_fd = pipes[2][0];
  if (pid <= 0 && nng_sb.supervisor[0] == '\0') {
    fail(p, "could not be started: the grader's probe supervisor is missing", NULL, 0);
    return -1;
  }
  if (pid <= 0) {
    fail(p, "could not start the probe: %s", strerror(saved), 0);
    return -1;
  }
  p->pid = pid;
  p->report_fd = p->ended ? -1 : box->control_fd;
  p->started = nng_now();
  p->deadline = p->started + p->limits.wall_seconds;
  p->next_disk_check = nng_now() + 0.25;
  fcntl(p->to_fd, F_SETFL, O_NONBLOCK);
  fcntl(p->from_fd, F_SETFL, O_NONBLOCK);
  fcntl(p->out_fd, F_SETFL, O_NONBLOCK);
  return 0;
}

int
nng_probe_start(nng_probe *p, const char *program, const char *dir,
                const nng_limits *lim)
{
  nng_probe_box *box = malloc(sizeof *box);
  if (box == NULL || nng_probe_box_open(box, program, dir, lim) != 0) {
    free(box);
    memset(p, 0, sizeof *p);
    p->to_fd = p->from_fd = p->out_fd = p->report_fd = -1;
    fail(p, box == NULL ? "out of memory%s" : "the working folder's name is too long: %s",
         dir, 0);
    return -1;
  }
  int r = nng_probe_start_in(p, box);
  p->box = box;
  p->own_box = 1;
  return r;
}

/* The probe closed its reply pipe. Wait until it has ended (its supervisor
 * says so) or its time is up, reading what it prints meanwhile, without
 * spinning: a probe that sleeps costs nngrade no CPU time. 1 when it ended;
 * 0 when its time is up or it printed too much. */
static int
wait_for_end(nng_probe *p)
{
  for (;;) {
    if (p->ended)
      return 1;
    double left = p->deadline - nng_now();
    if (p->output_total > p->limits.output_max)
      return 0;
    if (left <= 0) {
      if (time_is_up(p->pid, p->since, p->started, &p->limits, &p->deadline))
        return 0;
      continue;
    }
    struct pollfd fds[2] = {{p->report_fd, POLLIN, 0}, {p->out_fd, POLLIN, 0}};
    int n = poll(fds, 2, (int) ceil(left * 1000.0));
    if (n > 0 && (fds[0].revents & (POLLIN | POLLHUP | POLLERR)))
      take_report(p);
    if (n > 0 && (fds[1].revents & (POLLIN | POLLHUP)) && drain_output(p) < 0) {
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
    if (used > 0) {
      /* what the call left in its folder, at once: the same verdict
       * however fast the machine wrote it */
      if (p->limits.disk_bytes > 0) {
        check_disk(p);
        if (p->failed) {
          kill_and_reap(p);
          return -1;
        }
      }
      return 0;
    }

    double now = nng_now(), left = p->deadline - now;
    if (left <= 0 && !time_is_up(p->pid, p->since, p->started, &p->limits,
                                  &p->deadline))
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
  p->from_fd = p->out_fd = p->report_fd = -1;  /* the report's socket is the box's */
  free(p->inbuf);
  p->inbuf = NULL;
  p->inlen = p->incap = 0;
  /* What it left behind: measured, then removed, so that every test starts
   * in an empty folder. */
  if (p->dir[0] != '\0') {
    check_disk(p);
    empty_folder(p->dir);
  }
  if (p->own_box) {
    nng_probe_box_close(p->box);
    free(p->box);
    p->box = NULL;
    p->own_box = 0;
  }
}
