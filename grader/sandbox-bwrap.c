/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sandbox-bwrap.c: runs under bubblewrap (see sandbox.h and sandbox-private.h). */
#include <config.h>

#include "sandbox-private.h"

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
char **
bwrap_command(const plan *pl)
{
  strvec s = {0};
  char num[64];
  sv_add(&s, nng_sb.bwrap);
  sv_add(&s, "--unshare-pid");
  sv_add(&s, "--unshare-net");
  sv_add(&s, "--unshare-ipc");
  sv_add(&s, "--unshare-uts");
  sv_add(&s, "--unshare-cgroup-try");
  if (!nng_sb.root)
    sv_add(&s, "--unshare-user");
  sv_add(&s, "--die-with-parent");
  sv_add(&s, "--ro-bind");
  sv_add(&s, "/usr");
  sv_add(&s, "/usr");
  for (size_t i = 0; i < N_SYSTEM_DIRS; i++) {
    if (nng_sb.sys_kind[i] == 1) {
      sv_add(&s, "--symlink");
      sv_add(&s, nng_sb.sys_link[i]);
      sv_add(&s, system_dirs[i]);
    } else if (nng_sb.sys_kind[i] == 2) {
      sv_add(&s, "--ro-bind");
      sv_add(&s, system_dirs[i]);
      sv_add(&s, system_dirs[i]);
    }
  }
  for (size_t i = 0; i < N_ETC; i++)  /* alternatives: libblas, cc */
    if (nng_sb.etc_kind[i] != 0)
      sv_bind(&s, "--ro-bind", etc_paths[i], 0);
  sv_add(&s, "--proc");
  sv_add(&s, "/proc");
  sv_add(&s, "--dev");
  sv_add(&s, "/dev");
  if (pl->probe) {
    sv_bind(&s, "--ro-bind", pl->program, 0);
    sv_bind(&s, "--ro-bind", nng_sb.supervisor, 0);
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
  if (nng_sb.course_lib_in[0] != '\0') {
    sv_add(&s, "--ro-bind");
    sv_add(&s, "/dev/null");
    sv_add(&s, nng_sb.course_lib);
  }
  sv_add(&s, "--remount-ro");
  sv_add(&s, "/");
  sv_add(&s, "--remount-ro");
  sv_add(&s, "/dev");
  sv_add(&s, "--chdir");
  sv_add(&s, pl->dir);
  sv_add(&s, "--");
  if (nng_sb.root) {
    sv_add(&s, nng_sb.setpriv);
    snprintf(num, sizeof num, "--reuid=%lu", (unsigned long) nng_sb.uid);
    sv_add(&s, num);
    snprintf(num, sizeof num, "--regid=%lu", (unsigned long) nng_sb.gid);
    sv_add(&s, num);
    sv_add(&s, "--clear-groups");
    sv_add(&s, "--bounding-set=-all");
    sv_add(&s, "--no-new-privs");
    sv_add(&s, "--");
  }
  if (pl->probe) {
    sv_add(&s, nng_sb.supervisor);
    if (pl->serve)
      sv_add(&s, "--serve");
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
