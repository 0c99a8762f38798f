/* SPDX-License-Identifier: GPL-3.0-or-later */
/* unpack.c: a student's archive, unpacked safely (see unpack.h).
 *
 * libarchive does the reading (gzip, tar, zip) and the writing to disk; the
 * loop below sits between the two. For each entry it decides whether the
 * entry may reach the disk at all (its type, its name), rewrites the entry
 * so that only what we allow is applied (a cleaned relative name, mode
 * 0644 or 0755), and then copies the data block by block, counting every
 * byte against the limits before it is written.
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/stat.h>

#include <archive.h>
#include <archive_entry.h>

#include "unpack.h"

#define KIB ((uint64_t) 1024)
#define MIB (KIB * KIB)

void
nng_unpack_limits_default(nng_unpack_limits *limits)
{
  limits->max_total_bytes = 16 * MIB;
  limits->max_file_bytes = 4 * MIB;
  limits->max_entries = 1000;
  limits->max_path = 256;
  limits->max_depth = 16;
}

/* ===== What an entry of the submissions folder is =====
 * The kind comes from the name alone; the contents are libarchive's to
 * judge when the archive is unpacked, where a wrong guess gets a clear
 * message instead of a silent skip. */

/* 1 when NAME ends with TAIL, in any case, after at least one character;
 * the length of what comes before TAIL in *STEM. */
static int
has_suffix(const char *name, const char *tail, size_t *stem)
{
  size_t n = strlen(name), m = strlen(tail);
  if (n <= m || strcasecmp(name + n - m, tail) != 0)
    return 0;
  *stem = n - m;
  return 1;
}

/* The archive kind that NAME (a file name, no folder) says. */
static nng_entry_kind
archive_kind(const char *name, size_t *stem)
{
  if (has_suffix(name, ".tar.gz", stem) || has_suffix(name, ".tgz", stem))
    return NNG_ENTRY_TAR_GZ;
  if (has_suffix(name, ".zip", stem))
    return NNG_ENTRY_ZIP;
  return NNG_ENTRY_OTHER;
}

/* The last component of PATH: after the last '/'. */
static const char *
base_name(const char *path)
{
  const char *slash = strrchr(path, '/');
  return slash != NULL ? slash + 1 : path;
}

nng_entry_kind
nng_submission_kind(const char *path, char *name, size_t name_size)
{
  if (name != NULL && name_size > 0)
    name[0] = '\0';
  if (path == NULL)
    return NNG_ENTRY_OTHER;
  /* "subs/alice/" names alice. The slashes go before lstat(), which would
   * otherwise follow a symbolic link: "link/" means the folder it points to. */
  char clean[4096];
  size_t len = strlen(path);
  while (len > 1 && path[len - 1] == '/')
    len--;
  if (len == 0 || len >= sizeof clean)
    return NNG_ENTRY_OTHER;
  memcpy(clean, path, len);
  clean[len] = '\0';
  const char *base = base_name(clean);

  struct stat st;
  if (base[0] == '\0' || lstat(clean, &st) != 0)
    return NNG_ENTRY_OTHER;
  if (S_ISDIR(st.st_mode)) {
    if (name != NULL && name_size > 0)
      snprintf(name, name_size, "%s", base);
    return NNG_ENTRY_FOLDER;
  }
  if (!S_ISREG(st.st_mode))
    return NNG_ENTRY_OTHER;
  size_t stem;
  nng_entry_kind kind = archive_kind(base, &stem);
  if (kind != NNG_ENTRY_OTHER && name != NULL && name_size > 0)
    snprintf(name, name_size, "%.*s", (int) stem, base);
  return kind;
}

/* ===== Messages =====
 * Every message starts with the archive's file name, then says why
 * unpacking stopped (one "fatal" message) or that the archive holds no
 * file (the "summary"), then lists the entries that were skipped
 * ("notes"). Entry names come from the archive, so they are shown tamed:
 * control characters become '?' (a name with a newline must not forge a
 * line of the grade report) and a long name is cut at its start, keeping
 * its end, which says which file it is. */

typedef struct unpack_run {
  const nng_unpack_limits *lim;
  const char *format;       /* "zip" or "tar.gz", for messages */
  char label[256];          /* the archive's file name */
  char fatal[768];          /* why unpacking stopped; "" while it goes on */
  char notes[1536];         /* the notes kept, each ending in '\0' */
  size_t notes_len;         /* bytes of notes[] used */
  size_t n_notes;           /* notes made */
  size_t n_kept;            /* notes kept: the first ones, until one did not fit */
  const char *summary;      /* what is wrong with the whole archive, or NULL */
  uint64_t total;           /* bytes of entry data read so far */
  size_t entries;           /* entries read so far */
  size_t files;             /* regular files unpacked */
  char last[96];            /* the last entry read (tamed), for a damage message */
  char err[200];            /* libarchive's last message (tamed) */
  char which[128];          /* unnamed_entry()'s words */
} unpack_run;

/* One byte of a name or message as it is shown: control characters
 * become '?'. */
static char
tame_byte(unsigned char c)
{
  return c < 0x20 || c == 0x7f ? '?' : (char) c;
}

/* The message S tamed into OUT (N >= 8 bytes): control characters become
 * '?', and a message too long for OUT is cut at a character boundary and
 * ends in "...": its start says what went wrong. */
static void
tame(const char *s, char *out, size_t n)
{
  size_t max = n - 4, i = 0;
  for (; s[i] != '\0' && i < max; i++)
    out[i] = tame_byte((unsigned char) s[i]);
  if (s[i] == '\0') {
    out[i] = '\0';
    return;
  }
  /* Do not cut a UTF-8 character in two: back up to its first byte. */
  while (i > 0 && ((unsigned char) s[i] & 0xC0) == 0x80)
    i--;
  memcpy(out + i, "...", 4);
}

/* The name S tamed into OUT (N >= 8 bytes) like a message, except that a
 * name too long for OUT keeps its END: ".../deep/path/abs-evil.c" tells
 * which file was refused, where "/home/ta/course/submiss..." does not.
 * The cut falls at a '/' when one is in what is kept, else at a character
 * boundary. */
static void
tame_name(const char *s, char *out, size_t n)
{
  size_t len = strlen(s);
  if (len < n) {
    tame(s, out, n);
    return;
  }
  const char *tail = s + len - (n - 4);
  /* Do not cut a UTF-8 character in two: go on to the next first byte. */
  while (*tail != '\0' && ((unsigned char) *tail & 0xC0) == 0x80)
    tail++;
  const char *slash = strchr(tail, '/');
  if (slash != NULL && slash[1] != '\0')
    tail = slash;
  memcpy(out, "...", 3);
  size_t i = 3;
  for (; *tail != '\0'; tail++)
    out[i++] = tame_byte((unsigned char) *tail);
  out[i] = '\0';
}

/* libarchive's message on A, tamed into R->err: it may quote a name from
 * the archive. */
static const char *
lib_error(unpack_run *r, struct archive *a)
{
  const char *s = archive_error_string(a);
  tame(s != NULL ? s : "no detail", r->err, sizeof r->err);
  return r->err;
}

/* "an entry after 'ex01/exercise1.c'", or "the first entry", in R->which:
 * for an entry whose own name cannot be read. */
static const char *
unnamed_entry(unpack_run *r)
{
  if (r->last[0] == '\0')
    snprintf(r->which, sizeof r->which, "the first entry");
  else
    snprintf(r->which, sizeof r->which, "an entry after '%s'", r->last);
  return r->which;
}

/* "4 MiB", "64 KiB" or "1000 bytes": a limit as a person would write it. */
static void
format_bytes(uint64_t bytes, char *out, size_t n)
{
  if (bytes >= MIB && bytes % MIB == 0)
    snprintf(out, n, "%llu MiB", (unsigned long long) (bytes / MIB));
  else if (bytes >= KIB && bytes % KIB == 0)
    snprintf(out, n, "%llu KiB", (unsigned long long) (bytes / KIB));
  else
    snprintf(out, n, "%llu bytes", (unsigned long long) bytes);
}

/* Unpacking stops: say why (the first reason wins). */
static void __attribute__((format(printf, 2, 3)))
stop(unpack_run *r, const char *fmt, ...)
{
  if (r->fatal[0] != '\0')
    return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(r->fatal, sizeof r->fatal, fmt, ap);
  va_end(ap);
}

/* An entry was skipped, or something else the student should know. Notes
 * are kept one after the other, each ending in its '\0'; the notes that do
 * not fit are counted, not lost silently. */
static void __attribute__((format(printf, 2, 3)))
note(unpack_run *r, const char *fmt, ...)
{
  char one[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(one, sizeof one, fmt, ap);
  va_end(ap);
  r->n_notes++;
  size_t len = strlen(one) + 1;
  if (r->n_kept + 1 < r->n_notes || r->notes_len + len > sizeof r->notes)
    return;  /* full: a shorter note later must not jump the queue */
  memcpy(r->notes + r->notes_len, one, len);
  r->notes_len += len;
  r->n_kept++;
}

/* Append SEP and TEXT to BUF (SIZE bytes, *LEN used) when both fit whole
 * and leave RESERVE bytes free; 1 when they did. */
static int
append_whole(char *buf, size_t size, size_t *len, size_t reserve, const char *sep,
             const char *text)
{
  size_t a = strlen(sep), b = strlen(text);
  if (*len + a + b + reserve + 1 > size)
    return 0;
  memcpy(buf + *len, sep, a);
  memcpy(buf + *len + a, text, b + 1);
  *len += a + b;
  return 1;
}

/* The outcome of nng_unpack() and its one-line reason: the archive's name,
 * why unpacking stopped or the summary (cut if it must be), then as many
 * whole notes as fit, keeping room to say how many did not. */
static int
finish(const unpack_run *r, char *reason, size_t reason_size)
{
  int status = r->fatal[0] != '\0' ? -1 : r->n_notes > 0 || r->summary != NULL ? 1 : 0;
  if (reason == NULL || reason_size == 0)
    return status;
  reason[0] = '\0';
  if (status == 0)
    return 0;
  const char *head = r->fatal[0] != '\0' ? r->fatal : r->summary != NULL ? r->summary : "";
  int n = snprintf(reason, reason_size, "%s: %s", r->label, head);
  size_t len = n < 0 ? 0 : (size_t) n < reason_size ? (size_t) n : reason_size - 1;
  size_t listed = 0;
  const char *p = r->notes;
  enum { ROOM = 32 };       /* for "; and 18446744073709551615 more" */
  for (size_t i = 0; i < r->n_kept; i++, p += strlen(p) + 1) {
    const char *sep = head[0] != '\0' || listed > 0 ? "; " : "";
    if (!append_whole(reason, reason_size, &len, i + 1 < r->n_notes ? ROOM : 0, sep, p))
      break;
    listed++;
  }
  if (listed < r->n_notes) {
    char more[64];
    if (head[0] != '\0' || listed > 0)
      snprintf(more, sizeof more, "; and %zu more", r->n_notes - listed);
    else
      snprintf(more, sizeof more, "%zu notes, too long to show", r->n_notes);
    append_whole(reason, reason_size, &len, 0, "", more);
  }
  return status;
}

/* ===== Names =====
 * libarchive's SECURE flags already refuse absolute names and ".." at
 * extraction; the same rules are applied here first, on the name as the
 * archive gives it, so that a mistake in either layer is caught by the
 * other, so that the student gets a message that says which entry and why,
 * and so that libarchive only ever sees a clean relative name. */

typedef enum name_verdict {
  NAME_OK,
  NAME_IGNORED,             /* the folder itself ("./"), or __MACOSX/: silently */
  NAME_ABSOLUTE,
  NAME_DOTDOT,
  NAME_CONTROL,
  NAME_TOO_LONG,
  NAME_TOO_DEEP
} name_verdict;

/* RAW as a clean relative name in OUT (OUT_SIZE bytes): components joined
 * by single slashes, without "." components. */
static name_verdict
clean_name(const char *raw, const nng_unpack_limits *lim, char *out, size_t out_size)
{
  /* "/etc/cron.d/x": an absolute name would be written where it says, not
   * inside the submission. Refused rather than made relative: a student
   * never means it. */
  if (raw[0] == '/')
    return NAME_ABSOLUTE;
  /* A newline or an escape sequence in a name can forge lines of the
   * grade sheet or the terminal; no honest source file has one. */
  for (const char *s = raw; *s != '\0'; s++)
    if ((unsigned char) *s < 0x20 || *s == 0x7f)
      return NAME_CONTROL;
  size_t max_path = lim->max_path < out_size - 1 ? lim->max_path : out_size - 1;
  size_t len = 0, depth = 0;
  const char *s = raw;
  while (*s != '\0') {
    const char *end = strchr(s, '/');
    size_t n = end != NULL ? (size_t) (end - s) : strlen(s);
    /* Any ".." component is refused, even "a/../b", which stays inside:
     * a rule without exceptions is one that cannot be got wrong. */
    if (n == 2 && s[0] == '.' && s[1] == '.')
      return NAME_DOTDOT;
    if (n > 0 && !(n == 1 && s[0] == '.')) {
      /* Limits on the name: a path of 10000 nested folders costs a
       * system call per level to create and to remove. */
      if (++depth > lim->max_depth)
        return NAME_TOO_DEEP;
      if (len + (len > 0) + n > max_path)
        return NAME_TOO_LONG;
      if (len > 0)
        out[len++] = '/';
      memcpy(out + len, s, n);
      len += n;
    }
    s += n;
    while (*s == '/')
      s++;
  }
  out[len] = '\0';
  /* Mac OS's Finder adds __MACOSX/ (resource forks) to every zip it makes:
   * not the student's work, and it would hide the single top folder. */
  if (len == 0 || strcmp(out, "__MACOSX") == 0 || strncmp(out, "__MACOSX/", 9) == 0)
    return NAME_IGNORED;
  return NAME_OK;
}

/* ===== Entries ===== */

/* Why an entry of this type is not unpacked, or NULL for a file or folder.
 * A symbolic link could point anywhere, and a later entry written through
 * it would land there ("ex01 -> /home/ta", then "ex01/.bashrc"); a hard
 * link makes a file of the grader's machine part of the submission (and a
 * tar entry may even carry data for it, written into the linked file); a
 * device or a named pipe would block or read the machine's hardware when
 * the grader opens it. */
static const char *
refused_type(struct archive_entry *e)
{
  mode_t type = archive_entry_filetype(e);
  if (archive_entry_hardlink(e) != NULL)
    return "is a hard link";
  if (type == AE_IFLNK || archive_entry_symlink(e) != NULL)
    return "is a symbolic link";
  if (type == AE_IFCHR || type == AE_IFBLK)
    return "is a device";
  if (type == AE_IFIFO)
    return "is a named pipe";
  if (type == AE_IFSOCK)
    return "is a socket";
  if (type != AE_IFREG && type != AE_IFDIR)
    return "is neither a file nor a folder";
  return NULL;
}

typedef enum data_outcome {
  DATA_DONE,                /* all of the entry's data was copied */
  DATA_SKIPPED,             /* the entry cannot be read; the next one may */
  DATA_STOPPED              /* a limit, damage or a write error: r->fatal says */
} data_outcome;

/* Copy the current entry's data to DISK (NULL: read and count it only).
 * Every block is counted before it is written: a zip bomb stops at the
 * limit while it inflates, having written no more than the limit. */
static data_outcome
copy_data(unpack_run *r, struct archive *a, struct archive *disk, const char *shown)
{
  uint64_t reach = 0;       /* how far into the file the data has reached */
  int damaged = 0;
  for (;;) {
    const void *buf;
    size_t size;
    la_int64_t offset;
    int rc = archive_read_data_block(a, &buf, &size, &offset);
    if (rc == ARCHIVE_EOF)
      return damaged ? DATA_SKIPPED : DATA_DONE;
    if (rc == ARCHIVE_FATAL) {
      stop(r, "entry '%s' is damaged or cut short (%s): unpacking stopped", shown,
           lib_error(r, a));
      return DATA_STOPPED;
    }
    if (rc < ARCHIVE_WARN) {  /* e.g. an encrypted zip entry */
      note(r, "entry '%s' cannot be read (%s): skipped", shown, lib_error(r, a));
      return DATA_SKIPPED;
    }
    /* A zip entry whose CRC does not match: its data arrived, but wrong.
     * The rest of the archive is fine, so only this entry is skipped;
     * its data is still read to the end, and counted. */
    if (rc == ARCHIVE_WARN && !damaged && disk != NULL) {
      note(r, "entry '%s' is damaged (%s): skipped", shown, lib_error(r, a));
      damaged = 1;
    }
    /* A sparse tar entry jumps over holes: the holes count as data too,
     * since whoever reads the file reads them. */
    uint64_t end = (uint64_t) (offset > 0 ? offset : 0) + size;
    uint64_t grown = end > reach ? end - reach : 0;
    char limit[32];
    if (end > r->lim->max_file_bytes) {
      format_bytes(r->lim->max_file_bytes, limit, sizeof limit);
      stop(r, "entry '%s' holds more than %s, the limit for one file: unpacking "
           "stopped", shown, limit);
      return DATA_STOPPED;
    }
    if (r->total + grown > r->lim->max_total_bytes) {
      format_bytes(r->lim->max_total_bytes, limit, sizeof limit);
      stop(r, "the files hold more than %s in all, the limit for a submission "
           "(reached in entry '%s'): unpacking stopped", limit, shown);
      return DATA_STOPPED;
    }
    r->total += grown;
    if (end > reach)
      reach = end;
    if (disk != NULL && size > 0
        && archive_write_data_block(disk, buf, size, offset) < ARCHIVE_OK) {
      stop(r, "entry '%s' cannot be written (%s): unpacking stopped", shown,
           lib_error(r, disk));
      return DATA_STOPPED;
    }
  }
}

/* Read every entry of A and unpack what may be unpacked through DISK, in
 * the current folder. Stops at the first fatal problem (r->fatal). */
static void
unpack_entries(unpack_run *r, struct archive *a, struct archive *disk)
{
  const nng_unpack_limits *lim = r->lim;
  char clean[4096], shown[96];
  for (;;) {
    struct archive_entry *e;
    int rc = archive_read_next_header(a, &e);
    if (rc == ARCHIVE_EOF)
      return;
    if (rc == ARCHIVE_FATAL) {
      if (r->entries == 0)
        stop(r, "not a %s archive, or a damaged one (%s)", r->format, lib_error(r, a));
      else
        stop(r, "the archive is damaged or cut short after entry '%s' (%s): "
             "unpacking stopped", r->last, lib_error(r, a));
      return;
    }
    /* Counted before anything else, so that even a stream of unreadable
     * headers ends: the count is also what bounds this loop. */
    if (++r->entries > lim->max_entries) {
      stop(r, "the archive holds more than %zu entries, the limit for a submission: "
           "unpacking stopped", lim->max_entries);
      return;
    }
    if (rc < ARCHIVE_WARN) {  /* ARCHIVE_FAILED or ARCHIVE_RETRY: this one only */
      note(r, "%s cannot be read (%s): skipped", unnamed_entry(r), lib_error(r, a));
      continue;
    }

    const char *raw = archive_entry_pathname(e);
    if (raw == NULL)
      raw = archive_entry_pathname_utf8(e);
    if (raw == NULL) {
      note(r, "%s has a name that cannot be read (%s): skipped", unnamed_entry(r),
           lib_error(r, a));
      if (copy_data(r, a, NULL, "(unreadable name)") == DATA_STOPPED)
        return;
      continue;
    }
    tame_name(raw, shown, sizeof shown);
    snprintf(r->last, sizeof r->last, "%s", shown);

    /* Decide: unpack, skip silently, or skip with a note. A skipped
     * entry's data is still read through copy_data(), so that it counts
     * against the limits: otherwise a bomb would only need a name
     * starting with "../" to be inflated in full, unchecked. */
    name_verdict verdict = clean_name(raw, lim, clean, sizeof clean);
    const char *type_problem = refused_type(e);
    char name_problem[96] = "";
    switch (verdict) {
    case NAME_OK: case NAME_IGNORED: break;
    case NAME_ABSOLUTE:
      snprintf(name_problem, sizeof name_problem,
               "is an absolute path, outside the submission folder");
      break;
    case NAME_DOTDOT:
      snprintf(name_problem, sizeof name_problem, "escapes the submission folder");
      break;
    case NAME_CONTROL:
      snprintf(name_problem, sizeof name_problem, "has a control character in its name");
      break;
    case NAME_TOO_LONG:
      snprintf(name_problem, sizeof name_problem, "has a name longer than %zu bytes",
               lim->max_path);
      break;
    case NAME_TOO_DEEP:
      snprintf(name_problem, sizeof name_problem, "is nested more than %zu levels deep",
               lim->max_depth);
      break;
    }
    if (type_problem != NULL || name_problem[0] != '\0')
      note(r, "entry '%s' %s: skipped", shown,
           type_problem != NULL ? type_problem : name_problem);
    if (type_problem != NULL || verdict != NAME_OK) {
      if (copy_data(r, a, NULL, shown) == DATA_STOPPED)
        return;
      continue;
    }

    /* The entry as we allow it: the clean name, and a mode of our choice.
     * Without ARCHIVE_EXTRACT_PERM libarchive would keep the archive's
     * permission bits (less the umask); setting them here drops setuid,
     * setgid and sticky bits and makes every file readable to the grader. */
    int is_file = archive_entry_filetype(e) == AE_IFREG;
    archive_entry_set_pathname(e, clean);
    archive_entry_set_perm(e, is_file ? 0644 : 0755);
    rc = archive_write_header(disk, e);
    if (rc == ARCHIVE_FATAL) {
      stop(r, "entry '%s' cannot be written (%s): unpacking stopped", shown,
           lib_error(r, disk));
      return;
    }
    if (rc < ARCHIVE_WARN) {  /* one of libarchive's own guards, or "a/b" under a file "a" */
      note(r, "entry '%s' cannot be unpacked (%s): skipped", shown,
           lib_error(r, disk));
      if (copy_data(r, a, NULL, shown) == DATA_STOPPED)
        return;
      continue;
    }
    data_outcome out = copy_data(r, a, disk, shown);
    rc = archive_write_finish_entry(disk);
    /* A file whose data did not arrive whole (a limit, damage, a read
     * error) is removed: a cut source file would only make a confusing
     * compiler error, and one past a limit holds what the limit refuses. */
    if (is_file && (out != DATA_DONE || rc < ARCHIVE_WARN))
      unlink(clean);
    if (out == DATA_STOPPED)
      return;
    if (out == DATA_DONE && rc < ARCHIVE_WARN)
      note(r, "entry '%s' cannot be unpacked (%s): skipped", shown,
           lib_error(r, disk));
    else if (out == DATA_DONE && is_file)
      r->files++;
  }
}

/* ===== Unpacking ===== */

/* DEST must be an empty folder: an entry could otherwise land on, or be
 * written through, something that was there before (a symbolic link left
 * by an earlier student), which the checks above cannot see. */
static int
check_dest(unpack_run *r, const char *dest)
{
  DIR *d = opendir(dest);
  if (d == NULL) {
    stop(r, "cannot unpack into %s: %s", dest, strerror(errno));
    return -1;
  }
  struct dirent *de;
  int empty = 1;
  while (empty && (de = readdir(d)) != NULL)
    if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
      empty = 0;
  closedir(d);
  if (!empty)
    stop(r, "cannot unpack into %s: the folder is not empty", dest);
  return empty ? 0 : -1;
}

/* Open the archive file: a regular file, opened without blocking (a named
 * pipe would wait for a writer forever) and without becoming our
 * controlling terminal. -1 with r->fatal set on failure. */
static int
open_archive(unpack_run *r, const char *archive)
{
  int fd = open(archive, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) {
    stop(r, "cannot be opened: %s", strerror(errno));
    return -1;
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    stop(r, "not a regular file");
    close(fd);
    return -1;
  }
  return fd;  /* O_NONBLOCK changes nothing for a regular file */
}

/* Unpack the archive open on FD, of kind KIND, into DEST. */
static void
unpack_fd(unpack_run *r, nng_entry_kind kind, int fd, const char *dest)
{
  struct archive *a = archive_read_new();
  struct archive *disk = archive_write_disk_new();
  if (a == NULL || disk == NULL) {
    stop(r, "out of memory");
    archive_read_free(a);
    archive_write_free(disk);
    return;
  }
  /* Only the formats the name promises: each reader left out is code that
   * a hostile file cannot reach. The tar reader takes ustar, pax and GNU
   * tar; a plain tar misnamed .tar.gz is read as well (libarchive always
   * reads uncompressed input). */
  if (kind == NNG_ENTRY_ZIP) {
    archive_read_support_format_zip(a);  /* from the central directory: fd is seekable */
  } else {
    archive_read_support_filter_gzip(a);
    archive_read_support_format_tar(a);
  }
  /* libarchive's own guards, behind ours: refuse to write through a
   * symbolic link on disk, to a name with "..", to an absolute name. And
   * by leaving out ARCHIVE_EXTRACT_OWNER, _PERM, _TIME, _ACL, _XATTR,
   * _FFLAGS and _MAC_METADATA, nothing of the archive's metadata but the
   * names and the data is applied. */
  archive_write_disk_set_options(disk, ARCHIVE_EXTRACT_SECURE_SYMLINKS
                                       | ARCHIVE_EXTRACT_SECURE_NODOTDOT
                                       | ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS);

  /* libarchive writes relative to the working folder (it has no "base
   * folder" option): go into DEST, and come back whatever happens. */
#ifdef O_PATH
  int here = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
#else
  int here = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
#endif
  if (here < 0) {
    stop(r, "cannot note the working folder: %s", strerror(errno));
  } else if (archive_read_open_fd(a, fd, 64 * 1024) != ARCHIVE_OK) {
    stop(r, "not a %s archive, or a damaged one (%s)", r->format, lib_error(r, a));
  } else if (chdir(dest) != 0) {
    stop(r, "cannot unpack into %s: %s", dest, strerror(errno));
  } else {
    unpack_entries(r, a, disk);
    /* Still inside DEST: closing may apply deferred folder modes by name. */
    if (archive_write_close(disk) != ARCHIVE_OK)
      stop(r, "cannot finish unpacking (%s)", lib_error(r, disk));
    if (fchdir(here) != 0)
      stop(r, "cannot return to the working folder: %s", strerror(errno));
  }
  if (here >= 0)
    close(here);
  archive_write_free(disk);
  archive_read_free(a);
}

int
nng_unpack(const char *archive, const char *dest, const nng_unpack_limits *limits,
           char *reason, size_t reason_size)
{
  unpack_run r;
  memset(&r, 0, sizeof r);
  nng_unpack_limits lim;
  if (limits != NULL)
    lim = *limits;
  else
    nng_unpack_limits_default(&lim);
  r.lim = &lim;
  if (archive == NULL || dest == NULL) {
    snprintf(r.label, sizeof r.label, "nng_unpack");
    stop(&r, "no archive or no destination folder given");
    return finish(&r, reason, reason_size);
  }
  tame_name(base_name(archive), r.label, sizeof r.label);

  size_t stem;
  nng_entry_kind kind = archive_kind(base_name(archive), &stem);
  if (kind == NNG_ENTRY_OTHER) {
    stop(&r, "not a .tar.gz, .tgz or .zip archive by its name");
    return finish(&r, reason, reason_size);
  }
  r.format = kind == NNG_ENTRY_ZIP ? "zip" : "tar.gz";
  int fd = open_archive(&r, archive);
  if (fd < 0)
    return finish(&r, reason, reason_size);
  if (check_dest(&r, dest) != 0) {
    close(fd);
    return finish(&r, reason, reason_size);
  }

  /* Names in a zip (under its UTF-8 flag) and in a pax tar are UTF-8, and
   * libarchive converts them to the character set of the locale: in the
   * "C" locale, the one of a program that never calls setlocale(), a name
   * like "José/ex01/exercise1.c" cannot be converted and is lost, and with
   * it a whole submission zipped in its author's folder. A UTF-8 locale,
   * for this thread and this call only, keeps names as the UTF-8 bytes they
   * are. (Without C.UTF-8 on the machine, the locale stays as it is.) */
  locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t) 0);
  locale_t previous = utf8 != (locale_t) 0 ? uselocale(utf8) : (locale_t) 0;
  unpack_fd(&r, kind, fd, dest);
  if (utf8 != (locale_t) 0) {
    uselocale(previous);
    freelocale(utf8);
  }
  close(fd);
  if (r.fatal[0] == '\0' && r.files == 0)
    r.summary = "the archive holds no files";
  return finish(&r, reason, reason_size);
}

/* ===== The submission's root folder ===== */

int
nng_submission_root(const char *dir, char *root, size_t root_size)
{
  snprintf(root, root_size, "%s", dir);
  DIR *d = opendir(dir);
  if (d == NULL)
    return 0;
  char only[256] = "";
  size_t folders = 0, others = 0;
  struct dirent *de;
  while ((de = readdir(d)) != NULL) {
    const char *name = de->d_name;
    if (name[0] == '.' || strcmp(name, "__MACOSX") == 0)
      continue;
    struct stat st;
    /* Not followed: a symbolic link to a folder is not the submission. */
    if (fstatat(dirfd(d), name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode)) {
      folders++;
      snprintf(only, sizeof only, "%s", name);
    } else {
      others++;
    }
  }
  closedir(d);
  if (folders != 1 || others != 0)
    return 0;
  int n = snprintf(root, root_size, "%s/%s", dir, only);
  if (n < 0 || (size_t) n >= root_size) {  /* ROOT too small: DIR is still right */
    snprintf(root, root_size, "%s", dir);
    return 0;
  }
  return 1;
}
