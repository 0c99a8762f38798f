/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sandbox-plain.c: runs without namespaces: as the sandbox user, or under limits only (see sandbox.h and sandbox-private.h). */
#include <config.h>

#include "sandbox-private.h"

/* Open the paths a tool names, as FIRST_PATH_FD + i. */
void
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
void
child_open_programs(const plan *pl, int *sup_fd)
{
  int fd = open(pl->program, O_PATH);
  if (fd < 0)
    child_die("open the program");
  if (fd != PROGRAM_FD && (dup2(fd, PROGRAM_FD) != PROGRAM_FD || close(fd) != 0))
    child_die("place the program");
  if ((*sup_fd = open(nng_sb.supervisor, O_PATH | O_CLOEXEC)) < 0)
    child_die("open the probes' supervisor");
}

/* For a tool run as the sandbox user without bubblewrap: the command with
 * each path it names as /proc/self/fd/N (PL->paths). NULL when out of
 * memory. */
char **
fd_command(plan *pl)
{
  strvec s = {0};
  for (size_t i = 0; pl->argv[i] != NULL; i++) {
    const char *a = pl->argv[i], *p = named_path(a);
    if (i == 0 || p == NULL || system_path(p) || pl->n_paths == MAX_PATHS
        || !nng_sb.root) {
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
