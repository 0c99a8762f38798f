/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sandbox-folders.c: the folders student code writes in: handed over, measured, emptied (see sandbox.h and sandbox-private.h). */
#include <config.h>

#include "sandbox-private.h"

/* ===== Folders student code writes in ===== */

int
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
  return nng_sb.root ? give_to(dir, nng_sb.uid, nng_sb.gid, 0700) : 0;
}



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
    if (sub < 0 && errno == EACCES && !nng_sb.root) {
      /* a folder the student made unreadable (their own, nngrade is not root) */
      fchmodat(at, name, 0700, 0);
      sub = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    }
    if (sub < 0)
      continue;
    if (!nng_sb.root)
      fchmod(sub, 0700);
    moved |= empty_at(sub, top, depth + 1);
    unlinkat(at, name, AT_REMOVEDIR);
  }
  closedir(d);
  return moved;
}

/* Empty the folder DIR, keeping it. 0 when it is empty. */
int
empty_folder(const char *dir)
{
  for (int pass = 0; pass < 64; pass++) {
    int top = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (top < 0)
      return -1;
    if (!nng_sb.root)
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
  if (!nng_sb.root)
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
void
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
