/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sandbox-ns.c: runs in namespaces made by nngrade itself (see sandbox.h and sandbox-private.h). */
#include <config.h>

#include "sandbox-private.h"

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
_Noreturn void
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
    if (nng_sb.sys_kind[i] == 1 && symlink(nng_sb.sys_link[i], nng_sb.sys_in[i]) != 0)
      child_die("link a system folder");
    if (nng_sb.sys_kind[i] == 2)
      bind_into(system_dirs[i], nng_sb.sys_in[i], 1, 0);
  }
  if (mkdir(NS_ROOT "/etc", 0755) != 0 || mkdir(NS_ROOT "/dev", 0755) != 0
      || mkdir(NS_ROOT "/proc", 0555) != 0 || mkdir(NS_ROOT "/tmp", 01777) != 0)
    child_die("make the folders of the new root");
  for (size_t i = 0; i < N_ETC; i++)
    if (nng_sb.etc_kind[i] != 0)
      bind_into(etc_paths[i], nng_sb.etc_in[i], nng_sb.etc_kind[i] == 2, 0);
  for (size_t i = 0; i < N_DEV; i++)
    bind_into(dev_nodes[i], nng_sb.dev_in[i], 0, 1);
  if (nng_sb.course_lib_in[0] != '\0'
      && mount("/dev/null", nng_sb.course_lib_in, "none", MS_BIND, NULL) != 0)
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
