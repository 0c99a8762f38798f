/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the archive unpacker behind nngrade batch (grader/unpack.h).
 *
 * Every hostile archive is built here, with libarchive's writer, in both
 * formats a student may hand in (.tar.gz and .zip): names that climb out
 * ("../evil.c", "a/../../evil.c", an absolute name), symbolic links out of
 * the folder followed by a file written through them, hard links to a file
 * outside and inside, a named pipe and a device, a zip
 * bomb of 64 MiB of zeros, 5000 entries, names too long and too deep,
 * truncated and damaged archives, and files that are not archives at all.
 *
 * Each case gets a folder of its own under $NN_TOP_BUILDDIR/tests/out/unpack
 * (nothing is written anywhere else) that holds the archive, the folder it
 * is unpacked into ("dest"), and the targets a hostile entry aims at: an
 * existing folder "escape" and a file "secret.txt", both next to dest. The
 * hostile entries aim there, and not at /etc, so that a regression fails
 * this test instead of damaging the machine that runs it. After every
 * case: escape is still empty, secret.txt is unchanged and has one link,
 * nothing new sits next to dest, and dest holds only files (0644) and
 * folders (0755).
 */
#include <config.h>  /* _GNU_SOURCE, for nftw() */

#include "nntest.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <locale.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <archive.h>
#include <archive_entry.h>

#include "unpack.h"

static char out_dir[1200];

#define MIB ((uint64_t) 1024 * 1024)
#define SECRET "the TA's file: not to be linked, read or written\n"

/* ===== Building archives ===== */

typedef enum format { TGZ, ZIP } format;
static const char *const format_ext[] = {".tar.gz", ".zip"};
static const char *const format_tag[] = {"tgz", "zip"};

/* One entry of an archive to build. */
typedef struct spec {
  char type;                /* 'f' file, 'z' zeros, 'd' folder, 'l' symbolic link,
                               'h' hard link, 'p' named pipe, 'c' device */
  const char *name;         /* the entry's name, as the archive stores it */
  const char *data;         /* 'f', 'h': the contents (NULL: none) */
  size_t data_size;         /* bytes of data ('f', 'h'); 0: strlen(data) */
  const char *target;       /* 'l', 'h': what it links to */
  uint64_t zeros;           /* 'z': how many zero bytes, streamed */
  int mode;                 /* permission bits; 0: 0644 or 0755 */
} spec;

static void
add_entry(struct archive *a, format f, const spec *s)
{
  struct archive_entry *e = archive_entry_new();
  assert_non_null(e);
  archive_entry_set_pathname(e, s->name);
  archive_entry_set_mtime(e, 1700000000, 0);
  size_t n = s->data == NULL ? 0 : s->data_size > 0 ? s->data_size : strlen(s->data);
  uint64_t size = 0;
  switch (s->type) {
  case 'f': archive_entry_set_filetype(e, AE_IFREG); size = n; break;
  case 'z': archive_entry_set_filetype(e, AE_IFREG); size = s->zeros; break;
  case 'd': archive_entry_set_filetype(e, AE_IFDIR); break;
  case 'l': archive_entry_set_filetype(e, AE_IFLNK); archive_entry_set_symlink(e, s->target); break;
  case 'h': archive_entry_set_filetype(e, AE_IFREG); archive_entry_set_hardlink(e, s->target);
            size = n; break;
  case 'p': archive_entry_set_filetype(e, AE_IFIFO); break;
  case 'c': archive_entry_set_filetype(e, AE_IFCHR); archive_entry_set_rdev(e, makedev(1, 3)); break;
  default: fail_msg("unknown entry type '%c'", s->type);
  }
  archive_entry_set_perm(e, s->mode != 0 ? s->mode : s->type == 'd' ? 0755 : 0644);
  archive_entry_set_size(e, (la_int64_t) size);
  int rc = archive_write_header(a, e);
  archive_entry_free(e);
  /* The zip format has no named pipes nor devices: its writer refuses
   * them, and the archive goes on without them. */
  if (f == ZIP && (s->type == 'p' || s->type == 'c') && rc == ARCHIVE_FAILED)
    return;
  if (rc != ARCHIVE_OK)
    fail_msg("writing the header of '%s': %s", s->name, archive_error_string(a));
  if (s->type == 'z') {
    /* Streamed in 64 KiB blocks: the bomb is never in memory. */
    static const char zeros[64 * 1024];
    for (uint64_t left = s->zeros; left > 0;) {
      size_t k = left < sizeof zeros ? (size_t) left : sizeof zeros;
      assert_int_equal(archive_write_data(a, zeros, k), (la_ssize_t) k);
      left -= k;
    }
  } else if (n > 0 && size > 0) {
    la_ssize_t written = archive_write_data(a, s->data, n);
    /* A format may drop the data of a hard link; everything else is kept. */
    if (s->type != 'h')
      assert_int_equal(written, (la_ssize_t) n);
  }
}

/* Write the N entries of S as an archive of format F at PATH. Level 1
 * compression: quick, and still over 400:1 on zeros. */
static void
write_archive(const char *path, format f, const spec *s, size_t n)
{
  struct archive *a = archive_write_new();
  assert_non_null(a);
  if (f == TGZ) {
    assert_int_equal(archive_write_add_filter_gzip(a), ARCHIVE_OK);
    assert_int_equal(archive_write_set_format_pax_restricted(a), ARCHIVE_OK);
    assert_int_equal(archive_write_set_filter_option(a, "gzip", "compression-level", "1"),
                     ARCHIVE_OK);
  } else {
    assert_int_equal(archive_write_set_format_zip(a), ARCHIVE_OK);
    assert_int_equal(archive_write_set_format_option(a, "zip", "compression-level", "1"),
                     ARCHIVE_OK);
  }
  if (archive_write_open_filename(a, path) != ARCHIVE_OK)
    fail_msg("cannot write %s: %s", path, archive_error_string(a));
  for (size_t i = 0; i < n; i++)
    add_entry(a, f, &s[i]);
  assert_int_equal(archive_write_close(a), ARCHIVE_OK);
  archive_write_free(a);
}

/* ===== Files ===== */

static int
remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
  (void) st;
  (void) ftw;
  return flag == FTW_DP ? rmdir(path) : unlink(path);
}

/* rm -rf PATH (links are removed, never followed). */
static void
remove_tree(const char *path)
{
  struct stat st;
  if (lstat(path, &st) == 0)
    assert_int_equal(nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS), 0);
}

static void
write_file(const char *path, const char *data, size_t n)
{
  FILE *f = fopen(path, "wb");
  if (f == NULL)
    fail_msg("cannot write %s: %s", path, strerror(errno));
  assert_int_equal(fwrite(data, 1, n, f), n);
  assert_int_equal(fclose(f), 0);
}

/* The contents of PATH (the caller frees them), or NULL when it is missing. */
static char *
read_file(const char *path, size_t *n)
{
  FILE *f = fopen(path, "rb");
  if (f == NULL)
    return NULL;
  size_t cap = 1024, len = 0, got;
  char *buf = malloc(cap + 1);
  assert_non_null(buf);
  while ((got = fread(buf + len, 1, cap - len, f)) > 0) {
    len += got;
    if (len == cap) {
      buf = realloc(buf, (cap *= 2) + 1);
      assert_non_null(buf);
    }
  }
  fclose(f);
  buf[len] = '\0';
  *n = len;
  return buf;
}

static int
exists(const char *path)
{
  struct stat st;
  return lstat(path, &st) == 0;
}

/* Cut the file PATH to FRACTION of its size. */
static void
cut_file(const char *path, double fraction)
{
  struct stat st;
  assert_int_equal(stat(path, &st), 0);
  assert_int_equal(truncate(path, (off_t) ((double) st.st_size * fraction)), 0);
}

/* ===== One case ===== */

typedef struct test_case {
  char dir[1300];           /* out/unpack/NAME-FORMAT */
  char dest[1400];          /* dir/dest: unpacked into */
  char escape[1400];        /* dir/escape: an existing folder, to stay empty */
  char secret[1400];        /* dir/secret.txt: a file, to stay as it is */
  char archive[1400];       /* dir/alice.tar.gz or dir/alice.zip */
  char reason[2048];        /* from nng_unpack() */
} test_case;

static void
case_init(test_case *c, const char *name, format f)
{
  snprintf(c->dir, sizeof c->dir, "%s/%s-%s", out_dir, name, format_tag[f]);
  remove_tree(c->dir);
  assert_int_equal(mkdir(c->dir, 0755), 0);
  snprintf(c->dest, sizeof c->dest, "%s/dest", c->dir);
  snprintf(c->escape, sizeof c->escape, "%s/escape", c->dir);
  snprintf(c->secret, sizeof c->secret, "%s/secret.txt", c->dir);
  snprintf(c->archive, sizeof c->archive, "%s/alice%s", c->dir, format_ext[f]);
  assert_int_equal(mkdir(c->dest, 0700), 0);  /* private, as mkdtemp makes it */
  assert_int_equal(mkdir(c->escape, 0755), 0);
  write_file(c->secret, SECRET, strlen(SECRET));
  c->reason[0] = '\0';
}

static int
case_unpack(test_case *c, const nng_unpack_limits *limits)
{
  return nng_unpack(c->archive, c->dest, limits, c->reason, sizeof c->reason);
}

static void
assert_mentions(const char *text, const char *part)
{
  if (strstr(text, part) == NULL)
    fail_msg("\"%s\" does not mention \"%s\"", text, part);
}

static void
assert_not_mentions(const char *text, const char *part)
{
  if (strstr(text, part) != NULL)
    fail_msg("\"%s\" mentions \"%s\"", text, part);
}

/* What the walk of dest found. */
static size_t walk_files, walk_odd;
static uint64_t walk_bytes;

static int
walk_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
  (void) flag;
  if (ftw->level == 0)
    return 0;  /* dest itself */
  mode_t perm = st->st_mode & 07777;
  if (S_ISREG(st->st_mode) && perm == 0644) {
    walk_files++;
    walk_bytes += (uint64_t) st->st_size;
  } else if (!(S_ISDIR(st->st_mode) && perm == 0755)) {
    print_error("%s: mode %o: not a 0644 file nor a 0755 folder\n", path,
                (unsigned) st->st_mode);
    walk_odd++;
  }
  return 0;
}

/* Nothing but files and folders in dest, with our modes, and nothing
 * created or changed outside it. Returns the number of files in dest. */
static size_t
assert_contained(const test_case *c)
{
  walk_files = walk_odd = 0;
  walk_bytes = 0;
  assert_int_equal(nftw(c->dest, walk_one, 16, FTW_PHYS), 0);
  assert_int_equal(walk_odd, 0);

  /* Next to dest: the archive, dest, escape and secret.txt, nothing else. */
  DIR *d = opendir(c->dir);
  assert_non_null(d);
  struct dirent *de;
  const char *archive_name = strrchr(c->archive, '/') + 1;
  while ((de = readdir(d)) != NULL) {
    const char *n = de->d_name;
    if (strcmp(n, ".") != 0 && strcmp(n, "..") != 0 && strcmp(n, "dest") != 0
        && strcmp(n, "escape") != 0 && strcmp(n, "secret.txt") != 0
        && strcmp(n, archive_name) != 0)
      fail_msg("%s/%s was created outside the destination", c->dir, n);
  }
  closedir(d);
  d = opendir(c->escape);
  assert_non_null(d);
  while ((de = readdir(d)) != NULL)
    if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
      fail_msg("%s/%s was written through a link", c->escape, de->d_name);
  closedir(d);
  struct stat st;
  assert_int_equal(lstat(c->secret, &st), 0);
  assert_true(S_ISREG(st.st_mode));
  assert_int_equal(st.st_nlink, 1);  /* no hard link to it was made */
  size_t n;
  char *text = read_file(c->secret, &n);
  assert_non_null(text);
  assert_string_equal(text, SECRET);
  free(text);
  return walk_files;
}

/* DEST/REL holds exactly N bytes of DATA. */
static void
assert_file(const test_case *c, const char *rel, const char *data, size_t n)
{
  char path[1600];
  snprintf(path, sizeof path, "%s/%s", c->dest, rel);
  size_t got;
  char *text = read_file(path, &got);
  if (text == NULL)
    fail_msg("%s was not unpacked", rel);
  assert_int_equal(got, n);
  assert_memory_equal(text, data, n);
  free(text);
}

static void
assert_no_file(const test_case *c, const char *rel)
{
  char path[1600];
  snprintf(path, sizeof path, "%s/%s", c->dest, rel);
  if (exists(path))
    fail_msg("%s should not have been unpacked", rel);
}

/* ===== What an entry of the submissions folder is ===== */

static void
kind_says_folder_archive_or_other(void **state)
{
  (void) state;
  char subs[1300], path[1400], name[256];
  snprintf(subs, sizeof subs, "%s/kind", out_dir);
  remove_tree(subs);
  assert_int_equal(mkdir(subs, 0755), 0);
  const char *files[] = {"bob.tar.gz", "carol.tgz", "dave.zip", "Eve.ZIP", "README.md",
                         ".zip", "frank.tar", "grace.zip.txt"};
  for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
    snprintf(path, sizeof path, "%s/%s", subs, files[i]);
    write_file(path, "x", 1);
  }
  snprintf(path, sizeof path, "%s/alice", subs);
  assert_int_equal(mkdir(path, 0755), 0);
  snprintf(path, sizeof path, "%s/heidi.zip", subs);
  assert_int_equal(symlink("dave.zip", path), 0);
  snprintf(path, sizeof path, "%s/ivan.zip", subs);
  assert_int_equal(mkfifo(path, 0644), 0);
  snprintf(path, sizeof path, "%s/judy", subs);
  assert_int_equal(symlink("alice", path), 0);

  struct { const char *entry; nng_entry_kind kind; const char *name; } want[] = {
    {"alice", NNG_ENTRY_FOLDER, "alice"},
    {"alice/", NNG_ENTRY_FOLDER, "alice"},
    {"bob.tar.gz", NNG_ENTRY_TAR_GZ, "bob"},
    {"carol.tgz", NNG_ENTRY_TAR_GZ, "carol"},
    {"dave.zip", NNG_ENTRY_ZIP, "dave"},
    {"Eve.ZIP", NNG_ENTRY_ZIP, "Eve"},
    {"README.md", NNG_ENTRY_OTHER, ""},
    {".zip", NNG_ENTRY_OTHER, ""},
    {"frank.tar", NNG_ENTRY_OTHER, ""},
    {"grace.zip.txt", NNG_ENTRY_OTHER, ""},
    {"heidi.zip", NNG_ENTRY_OTHER, ""},   /* a symbolic link: not followed */
    {"ivan.zip", NNG_ENTRY_OTHER, ""},    /* a named pipe */
    {"judy", NNG_ENTRY_OTHER, ""},        /* a symbolic link to a folder */
    {"judy/", NNG_ENTRY_OTHER, ""},
    {"missing.zip", NNG_ENTRY_OTHER, ""},
  };
  for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
    snprintf(path, sizeof path, "%s/%s", subs, want[i].entry);
    strcpy(name, "stale");
    nng_entry_kind k = nng_submission_kind(path, name, sizeof name);
    if (k != want[i].kind || strcmp(name, want[i].name) != 0)
      fail_msg("%s: kind %d, name '%s'; expected kind %d, name '%s'", want[i].entry,
               (int) k, name, (int) want[i].kind, want[i].name);
  }
  snprintf(path, sizeof path, "%s/dave.zip", subs);
  assert_int_equal(nng_submission_kind(path, NULL, 0), NNG_ENTRY_ZIP);
  assert_int_equal(nng_submission_kind(NULL, name, sizeof name), NNG_ENTRY_OTHER);
  assert_int_equal(nng_submission_kind("", name, sizeof name), NNG_ENTRY_OTHER);
  char tiny[4];
  assert_int_equal(nng_submission_kind(path, tiny, sizeof tiny), NNG_ENTRY_ZIP);
  assert_string_equal(tiny, "dav");  /* cut, still a string */
}

/* ===== A normal submission ===== */

static void
normal_archive_unpacks_byte_for_byte(format f)
{
  test_case c;
  case_init(&c, "normal", f);
  char binary[10240];
  for (size_t i = 0; i < sizeof binary; i++)
    binary[i] = (char) ((i * 2385u + 7u) % 256u);  /* every byte value, NULs too */
  const char *source = "/* Exercise 1 */\n#include \"exercise1.h\"\n\n"
                       "int ex1_dot(void) { return 2385; }\n";
  spec s[] = {
    {.type = 'd', .name = "alice/"},
    {.type = 'd', .name = "alice/ex01/", .mode = 0700},
    {.type = 'f', .name = "alice/ex01/exercise1.c", .data = source},
    {.type = 'f', .name = "alice/ex01/weights.bin", .data = binary,
     .data_size = sizeof binary},
    {.type = 'f', .name = "./alice/README", .data = "run make\n", .mode = 04755},
    {.type = 'f', .name = "alice//ex02/exercise2.c", .data = "/* later */\n", .mode = 0},
    {.type = 'f', .name = "alice/ex02/empty.c", .data = NULL},
    {.type = 'f', .name = "alice/ex03/locked.c", .data = "int x;\n", .mode = 0200},
    {.type = 'd', .name = "alice/build/"},
  };
  write_archive(c.archive, f, s, sizeof s / sizeof *s);

  char before[1024], after[1024];
  assert_non_null(getcwd(before, sizeof before));
  assert_int_equal(case_unpack(&c, NULL), 0);
  assert_string_equal(c.reason, "");
  assert_non_null(getcwd(after, sizeof after));
  assert_string_equal(after, before);  /* the working folder is restored */

  assert_file(&c, "alice/ex01/exercise1.c", source, strlen(source));
  assert_file(&c, "alice/ex01/weights.bin", binary, sizeof binary);
  assert_file(&c, "alice/README", "run make\n", 9);  /* ./ dropped, setuid too */
  assert_file(&c, "alice/ex02/exercise2.c", "/* later */\n", 12);
  assert_file(&c, "alice/ex02/empty.c", "", 0);
  assert_file(&c, "alice/ex03/locked.c", "int x;\n", 7);  /* readable: 0644 */
  assert_int_equal(assert_contained(&c), 6);
  assert_int_equal(walk_bytes, strlen(source) + sizeof binary + 9 + 12 + 7);

  /* The student zipped their folder: the submission is dest/alice. */
  char root[1600], want[1600];
  assert_int_equal(nng_submission_root(c.dest, root, sizeof root), 1);
  snprintf(want, sizeof want, "%s/alice", c.dest);
  assert_string_equal(root, want);
}

static void
normal_tar_gz_unpacks_byte_for_byte(void **state)
{
  (void) state;
  normal_archive_unpacks_byte_for_byte(TGZ);
}

static void
normal_zip_unpacks_byte_for_byte(void **state)
{
  (void) state;
  normal_archive_unpacks_byte_for_byte(ZIP);
}

/* Names in UTF-8 arrive as they are, though this test, like nngrade, runs
 * in the C locale (the archives are written in a UTF-8 one, so that zip
 * marks their names as UTF-8, as every zip tool of today does). */
static void
utf8_names_are_kept(void **state)
{
  (void) state;
  locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t) 0);
  if (utf8 == (locale_t) 0) {
    print_message("no C.UTF-8 locale here: names in UTF-8 not tested\n");
    return;
  }
  for (format f = TGZ; f <= ZIP; f++) {
    test_case c;
    case_init(&c, "utf8", f);
    spec s[] = {
      {.type = 'f', .name = "Jos\u00e9/ex01/exercise1.c", .data = "int ok;\n"},
      {.type = 'f', .name = "Jos\u00e9/ex01/donn\u00e9es.csv", .data = "1,2\n"},
    };
    locale_t previous = uselocale(utf8);
    write_archive(c.archive, f, s, sizeof s / sizeof *s);
    uselocale(previous);
    assert_int_equal(case_unpack(&c, NULL), 0);
    assert_string_equal(c.reason, "");
    assert_file(&c, "Jos\u00e9/ex01/exercise1.c", "int ok;\n", 8);
    assert_file(&c, "Jos\u00e9/ex01/donn\u00e9es.csv", "1,2\n", 4);
    assert_int_equal(assert_contained(&c), 2);
    char root[1600], want[1600];
    assert_int_equal(nng_submission_root(c.dest, root, sizeof root), 1);
    snprintf(want, sizeof want, "%s/Jos\u00e9", c.dest);
    assert_string_equal(root, want);
  }
  freelocale(utf8);
}

/* ===== Names that climb out ===== */

static void
hostile_names_are_skipped(format f)
{
  test_case c;
  case_init(&c, "names", f);
  char absolute[1500], absolute_dotdot[1500], absolute_deep[1700];
  snprintf(absolute, sizeof absolute, "%s/abs-evil.c", c.dir);
  /* Longer than a message shows, whatever the length of the build path:
   * the message must keep the end of the name, which says which file. */
  snprintf(absolute_deep, sizeof absolute_deep, "%s/escape/%s/abs-deep-evil.c", c.dir,
           "a-folder-with-a-long-name/another-folder-with-a-long-name/and-a-third-one");
  snprintf(absolute_dotdot, sizeof absolute_dotdot, "%s/../evil.c", c.dest);
  spec s[] = {
    {.type = 'f', .name = "ex01/exercise1.c", .data = "int ok;\n"},
    {.type = 'f', .name = "../evil.c", .data = "int evil;\n"},
    {.type = 'f', .name = "a/../../evil.c", .data = "int evil;\n"},
    {.type = 'f', .name = "ex01/../../escape/evil.c", .data = "int evil;\n"},
    {.type = 'f', .name = "a/../b.c", .data = "int inside_but_refused;\n"},
    {.type = 'f', .name = absolute, .data = "int evil;\n"},
    {.type = 'f', .name = absolute_dotdot, .data = "int evil;\n"},
    {.type = 'f', .name = absolute_deep, .data = "int evil;\n"},
    {.type = 'd', .name = "../escape/sub/"},
    {.type = 'f', .name = "bad\nname\033[2J.c", .data = "int evil;\n"},
    {.type = 'f', .name = "./", .data = NULL},
    {.type = 'f', .name = "__MACOSX/ex01/._exercise1.c", .data = "resource fork"},
    {.type = 'f', .name = "ex02/exercise2.c", .data = "int ok2;\n"},
  };
  write_archive(c.archive, f, s, sizeof s / sizeof *s);
  int status = case_unpack(&c, NULL);
  assert_int_equal(assert_contained(&c), 2);  /* first: nothing escaped */
  assert_int_equal(status, 1);

  const char *label = f == TGZ ? "alice.tar.gz: " : "alice.zip: ";
  assert_true(strncmp(c.reason, label, strlen(label)) == 0);
  assert_mentions(c.reason, "entry '../evil.c' escapes the submission folder: skipped");
  assert_mentions(c.reason, "entry 'a/../../evil.c' escapes the submission folder: skipped");
  assert_mentions(c.reason, "entry 'a/../b.c' escapes the submission folder: skipped");
  assert_mentions(c.reason, "is an absolute path, outside the submission folder: skipped");
  assert_mentions(c.reason, "/abs-evil.c' is an absolute path, outside the submission "
                  "folder: skipped");
  assert_mentions(c.reason, "/and-a-third-one/abs-deep-evil.c' is an absolute path, "
                  "outside the submission folder: skipped");
  assert_mentions(c.reason, "entry '.../");     /* where it was cut, at a '/' */
  assert_mentions(c.reason, "entry 'bad?name?[2J.c' has a control character in its name: "
                  "skipped");
  assert_true(strchr(c.reason, '\n') == NULL);  /* one line, whatever the names */
  assert_not_mentions(c.reason, "__MACOSX");     /* left out silently */
  assert_not_mentions(c.reason, "exercise1.c");

  assert_file(&c, "ex01/exercise1.c", "int ok;\n", 8);
  assert_file(&c, "ex02/exercise2.c", "int ok2;\n", 9);  /* the rest was unpacked */
  assert_no_file(&c, "b.c");
  assert_no_file(&c, "__MACOSX");
}

static void
hostile_names_are_skipped_tar_gz(void **state)
{
  (void) state;
  hostile_names_are_skipped(TGZ);
}

static void
hostile_names_are_skipped_zip(void **state)
{
  (void) state;
  hostile_names_are_skipped(ZIP);
}

/* ===== Links, pipes and devices ===== */

static void
links_and_devices_are_skipped(format f)
{
  test_case c;
  case_init(&c, "links", f);
  spec s[] = {
    {.type = 'f', .name = "ex01/exercise1.c", .data = "int ok;\n"},
    /* "link -> /etc", then "link/passwd": aimed at escape/ instead. */
    {.type = 'l', .name = "link", .target = c.escape},
    {.type = 'f', .name = "link/passwd", .data = "root::0:0::/:/bin/sh\n"},
    {.type = 'l', .name = "rel", .target = "../escape"},
    {.type = 'f', .name = "rel/evil.c", .data = "int evil;\n"},
    {.type = 'l', .name = "ex01/exercise2.c", .target = "../../secret.txt"},
    /* A hard link to a file outside, and one inside. (The tar writer drops
     * the data given to a hard link; zip has no hard links, so there
     * "hard" is a plain file, which may be unpacked.) */
    {.type = 'h', .name = "hard", .target = c.secret, .data = "overwritten\n"},
    {.type = 'h', .name = "hard-inside", .target = "ex01/exercise1.c"},
    {.type = 'p', .name = "fifo"},
    {.type = 'c', .name = "null"},
    {.type = 'f', .name = "ex02/exercise2.c", .data = "int ok2;\n"},
  };
  write_archive(c.archive, f, s, sizeof s / sizeof *s);
  int status = case_unpack(&c, NULL);
  assert_contained(&c);  /* first: nothing escaped */
  assert_int_equal(status, 1);

  assert_mentions(c.reason, "entry 'link' is a symbolic link: skipped");
  assert_mentions(c.reason, "entry 'rel' is a symbolic link: skipped");
  assert_mentions(c.reason, "entry 'ex01/exercise2.c' is a symbolic link: skipped");
  if (f == TGZ) {  /* zip has no hard links, named pipes nor devices */
    assert_mentions(c.reason, "entry 'hard' is a hard link: skipped");
    assert_mentions(c.reason, "entry 'hard-inside' is a hard link: skipped");
    assert_mentions(c.reason, "entry 'fifo' is a named pipe: skipped");
    assert_mentions(c.reason, "entry 'null' is a device: skipped");
    assert_no_file(&c, "hard");
    assert_no_file(&c, "hard-inside");
  }
  assert_no_file(&c, "fifo");
  assert_no_file(&c, "null");
  assert_no_file(&c, "ex01/exercise2.c");

  /* "link/passwd" and "rel/evil.c" landed in real folders inside dest. */
  char path[1600];
  struct stat st;
  snprintf(path, sizeof path, "%s/link", c.dest);
  assert_int_equal(lstat(path, &st), 0);
  assert_true(S_ISDIR(st.st_mode));
  snprintf(path, sizeof path, "%s/rel", c.dest);
  assert_int_equal(lstat(path, &st), 0);
  assert_true(S_ISDIR(st.st_mode));
  assert_file(&c, "ex01/exercise1.c", "int ok;\n", 8);
  assert_file(&c, "ex02/exercise2.c", "int ok2;\n", 9);
}

static void
links_and_devices_are_skipped_tar_gz(void **state)
{
  (void) state;
  links_and_devices_are_skipped(TGZ);
}

static void
links_and_devices_are_skipped_zip(void **state)
{
  (void) state;
  links_and_devices_are_skipped(ZIP);
}

/* ===== Limits ===== */

/* 64 MiB of zeros in an archive of a few hundred KiB stops at the 4 MiB a
 * file may hold, before the rest is inflated; the file is removed. */
static void
bomb_stops_at_the_file_limit(format f)
{
  test_case c;
  case_init(&c, "bomb", f);
  spec s[] = {
    {.type = 'f', .name = "ex01/exercise1.c", .data = "int ok;\n"},
    {.type = 'z', .name = "ex01/bomb.dat", .zeros = 64 * MIB},
    {.type = 'f', .name = "ex02/exercise2.c", .data = "int after;\n"},
  };
  write_archive(c.archive, f, s, sizeof s / sizeof *s);
  struct stat st;
  assert_int_equal(stat(c.archive, &st), 0);
  assert_true(st.st_size < (off_t) (MIB / 2));  /* a ratio over 128:1 */

  assert_int_equal(case_unpack(&c, NULL), -1);
  assert_mentions(c.reason, f == TGZ ? "alice.tar.gz: " : "alice.zip: ");
  assert_mentions(c.reason, "entry 'ex01/bomb.dat' holds more than 4 MiB, the limit "
                  "for one file: unpacking stopped");
  assert_no_file(&c, "ex01/bomb.dat");
  assert_no_file(&c, "ex02/exercise2.c");  /* stopped: nothing after the bomb */
  assert_file(&c, "ex01/exercise1.c", "int ok;\n", 8);  /* what came before stays */
  assert_int_equal(assert_contained(&c), 1);

  /* With room for one file, the total limit stops it all the same. */
  case_init(&c, "bomb-total", f);
  write_archive(c.archive, f, s, sizeof s / sizeof *s);
  nng_unpack_limits lim;
  nng_unpack_limits_default(&lim);
  lim.max_file_bytes = 128 * MIB;
  lim.max_total_bytes = 3 * MIB + 512 * 1024;
  assert_int_equal(case_unpack(&c, &lim), -1);
  assert_mentions(c.reason, "the files hold more than 3584 KiB in all, the limit for a "
                  "submission (reached in entry 'ex01/bomb.dat'): unpacking stopped");
  assert_no_file(&c, "ex01/bomb.dat");
  assert_int_equal(assert_contained(&c), 1);
}

static void
bomb_stops_at_the_file_limit_tar_gz(void **state)
{
  (void) state;
  bomb_stops_at_the_file_limit(TGZ);
}

static void
bomb_stops_at_the_file_limit_zip(void **state)
{
  (void) state;
  bomb_stops_at_the_file_limit(ZIP);
}

/* The proof that the limit acts while the data streams: a bomb cut in
 * half still holds 32 MiB of zeros before the cut. An unpacker that
 * inflated the whole entry first would report the cut; ours stops at
 * 4 MiB and never gets there. */
static void
bomb_limit_acts_while_streaming(void **state)
{
  (void) state;
  test_case c;
  case_init(&c, "bomb-cut", TGZ);
  spec s[] = {{.type = 'z', .name = "bomb.dat", .zeros = 64 * MIB}};
  write_archive(c.archive, TGZ, s, 1);
  cut_file(c.archive, 0.5);
  assert_int_equal(case_unpack(&c, NULL), -1);
  assert_mentions(c.reason, "entry 'bomb.dat' holds more than 4 MiB");
  assert_not_mentions(c.reason, "damaged");
  assert_int_equal(assert_contained(&c), 0);

  /* Skipped entries count too: a bomb named "../bomb.dat" is not
   * unpacked, but its data is still read, and still limited. */
  case_init(&c, "bomb-skipped", TGZ);
  spec t[] = {{.type = 'z', .name = "../bomb.dat", .zeros = 64 * MIB}};
  write_archive(c.archive, TGZ, t, 1);
  cut_file(c.archive, 0.5);
  assert_int_equal(case_unpack(&c, NULL), -1);
  assert_mentions(c.reason, "entry '../bomb.dat' holds more than 4 MiB");
  assert_mentions(c.reason, "entry '../bomb.dat' escapes the submission folder: skipped");
  assert_int_equal(assert_contained(&c), 0);
}

/* Many files under the per-file limit add up to the total limit. */
static void
total_limit_stops_unpacking(void **state)
{
  (void) state;
  for (format f = TGZ; f <= ZIP; f++) {
    test_case c;
    case_init(&c, "total", f);
    char names[6][32];
    spec s[6];
    for (int i = 0; i < 6; i++) {
      snprintf(names[i], sizeof names[i], "data/part%d.bin", i + 1);
      s[i] = (spec) {.type = 'z', .name = names[i], .zeros = 3 * MIB};
    }
    write_archive(c.archive, f, s, 6);
    assert_int_equal(case_unpack(&c, NULL), -1);
    assert_mentions(c.reason, "the files hold more than 16 MiB in all, the limit for a "
                    "submission (reached in entry 'data/part6.bin'): unpacking stopped");
    assert_int_equal(assert_contained(&c), 5);
    assert_int_equal(walk_bytes, 15 * MIB);
  }
}

static void
too_many_entries_stop_unpacking(void **state)
{
  (void) state;
  enum { N = 5000 };
  static char names[N][24];
  static spec s[N];
  for (format f = TGZ; f <= ZIP; f++) {
    test_case c;
    case_init(&c, "entries", f);
    for (int i = 0; i < N; i++) {
      snprintf(names[i], sizeof names[i], "f/%04d.c", i);
      s[i] = (spec) {.type = 'f', .name = names[i], .data = "int x;\n"};
    }
    write_archive(c.archive, f, s, N);
    assert_int_equal(case_unpack(&c, NULL), -1);
    assert_mentions(c.reason, "the archive holds more than 1000 entries, the limit for a "
                    "submission: unpacking stopped");
    assert_int_equal(assert_contained(&c), 1000);

    /* Each limit is the caller's to set. */
    case_init(&c, "entries-10", f);
    write_archive(c.archive, f, s, 20);
    nng_unpack_limits lim;
    nng_unpack_limits_default(&lim);
    lim.max_entries = 10;
    assert_int_equal(case_unpack(&c, &lim), -1);
    assert_mentions(c.reason, "more than 10 entries");
    assert_int_equal(assert_contained(&c), 10);
  }
}

static void
long_and_deep_names_are_skipped(void **state)
{
  (void) state;
  char deep[128] = "", long_name[400];
  for (int i = 0; i < 20; i++)
    strcat(deep, "d/");
  strcat(deep, "x.c");
  memset(long_name, 'n', 300);
  strcpy(long_name + 300, ".c");
  for (format f = TGZ; f <= ZIP; f++) {
    test_case c;
    case_init(&c, "names-size", f);
    spec s[] = {
      {.type = 'f', .name = deep, .data = "int deep;\n"},
      {.type = 'f', .name = long_name, .data = "int long_name;\n"},
      {.type = 'f', .name = "ex01/exercise1.c", .data = "int ok;\n"},
    };
    write_archive(c.archive, f, s, sizeof s / sizeof *s);
    assert_int_equal(case_unpack(&c, NULL), 1);
    assert_mentions(c.reason, "entry 'd/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/x.c' is "
                    "nested more than 16 levels deep: skipped");
    assert_mentions(c.reason, "entry '...nnnnnnnn");
    assert_mentions(c.reason, "nnnnnnnn.c' has a name longer than 256 bytes: skipped");
    assert_file(&c, "ex01/exercise1.c", "int ok;\n", 8);
    assert_int_equal(assert_contained(&c), 1);
  }
}

/* ===== Damaged archives and wrong names ===== */

static void
damaged_archives_give_a_reason(void **state)
{
  (void) state;
  /* Data that does not compress, so that a cut falls inside it. */
  static char noise[256 * 1024];
  uint32_t x = 2385;
  for (size_t i = 0; i < sizeof noise; i++) {
    x = x * 1664525u + 1013904223u;
    noise[i] = (char) (x >> 24);
  }
  spec s[] = {
    {.type = 'f', .name = "ex01/exercise1.c", .data = "int ok;\n"},
    {.type = 'f', .name = "ex01/noise.bin", .data = noise, .data_size = sizeof noise},
    {.type = 'f', .name = "ex02/exercise2.c", .data = "int after;\n"},
  };
  for (format f = TGZ; f <= ZIP; f++) {
    const char *label = f == TGZ ? "alice.tar.gz: " : "alice.zip: ";
    test_case c;

    /* Cut short. What came before the cut is unpacked, the file the cut
     * falls in is not. (A zip's table of contents is at its end; without
     * it, libarchive reads the entries one by one from the start, as in a
     * tar.) */
    case_init(&c, "cut", f);
    write_archive(c.archive, f, s, sizeof s / sizeof *s);
    cut_file(c.archive, 0.6);
    assert_int_equal(case_unpack(&c, NULL), -1);
    assert_true(strncmp(c.reason, label, strlen(label)) == 0);
    assert_mentions(c.reason, "entry 'ex01/noise.bin' is damaged or cut short");
    assert_mentions(c.reason, "unpacking stopped");
    assert_file(&c, "ex01/exercise1.c", "int ok;\n", 8);
    assert_no_file(&c, "ex01/noise.bin");
    assert_contained(&c);

    /* Damaged: 64 bytes flipped, in the first header or in the middle of
     * the data. A zip checks every entry (inflate, then CRC); libarchive
     * does not check gzip's CRC, so a flipped byte inside a tar.gz file's
     * data may pass unnoticed, as it would for tar itself. Whatever
     * libarchive finds: a reason, no crash, nothing outside. */
    for (int where = 0; where < 2; where++) {
      case_init(&c, where == 0 ? "damaged-head" : "damaged-data", f);
      write_archive(c.archive, f, s, sizeof s / sizeof *s);
      size_t n;
      char *bytes = read_file(c.archive, &n);
      assert_non_null(bytes);
      size_t at = where == 0 ? 12 : n / 3;
      for (size_t i = at; i < at + 64; i++)
        bytes[i] = (char) ~bytes[i];
      write_file(c.archive, bytes, n);
      free(bytes);
      int status = case_unpack(&c, NULL);
      if (where == 0) {
        assert_int_equal(status, -1);
        assert_true(strncmp(c.reason, label, strlen(label)) == 0);
        assert_mentions(c.reason, "or a damaged one");
      } else if (f == ZIP) {  /* the bad entry is skipped, the others unpacked */
        assert_int_equal(status, 1);
        assert_mentions(c.reason, "alice.zip: entry 'ex01/noise.bin' is damaged (");
        assert_mentions(c.reason, "): skipped");
        assert_no_file(&c, "ex01/noise.bin");
        assert_file(&c, "ex02/exercise2.c", "int after;\n", 11);
      }
      assert_contained(&c);
    }

    /* Not an archive at all, an empty file, and the other format. */
    case_init(&c, "text", f);
    write_file(c.archive, "Dear TA, my archive is attached.\n", 33);
    assert_int_equal(case_unpack(&c, NULL), -1);
    assert_mentions(c.reason, f == TGZ ? "not a tar.gz archive, or a damaged one"
                                       : "not a zip archive, or a damaged one");
    assert_contained(&c);
    case_init(&c, "empty-file", f);
    write_file(c.archive, "", 0);
    assert_int_equal(case_unpack(&c, NULL), -1);
    assert_mentions(c.reason, label);
    assert_contained(&c);
    case_init(&c, "other-format", f);
    char other[1500];
    snprintf(other, sizeof other, "%s/other%s", c.dir, format_ext[!f]);
    write_archive(other, !f, s, 1);
    assert_int_equal(rename(other, c.archive), 0);
    assert_int_equal(case_unpack(&c, NULL), -1);
    assert_mentions(c.reason, f == TGZ ? "not a tar.gz archive, or a damaged one"
                                       : "not a zip archive, or a damaged one");
    assert_contained(&c);
  }
}

/* ===== The caller's mistakes ===== */

static void
bad_calls_are_refused(void **state)
{
  (void) state;
  test_case c;
  case_init(&c, "calls", ZIP);
  spec s[] = {{.type = 'f', .name = "exercise1.c", .data = "int ok;\n"}};
  write_archive(c.archive, ZIP, s, 1);
  char path[1600], reason[64];

  /* dest not empty, dest missing */
  snprintf(path, sizeof path, "%s/leftover.c", c.dest);
  write_file(path, "x", 1);
  assert_int_equal(case_unpack(&c, NULL), -1);
  assert_mentions(c.reason, "the folder is not empty");
  assert_int_equal(unlink(path), 0);
  snprintf(path, sizeof path, "%s/missing", c.dir);
  assert_int_equal(nng_unpack(c.archive, path, NULL, c.reason, sizeof c.reason), -1);
  assert_mentions(c.reason, "cannot unpack into");
  assert_false(exists(path));

  /* the archive missing, misnamed, or a folder */
  snprintf(path, sizeof path, "%s/bob.zip", c.dir);
  assert_int_equal(nng_unpack(path, c.dest, NULL, c.reason, sizeof c.reason), -1);
  assert_string_equal(c.reason, "bob.zip: cannot be opened: No such file or directory");
  snprintf(path, sizeof path, "%s/alice.rar", c.dir);
  assert_int_equal(nng_unpack(path, c.dest, NULL, c.reason, sizeof c.reason), -1);
  assert_string_equal(c.reason, "alice.rar: not a .tar.gz, .tgz or .zip archive by its name");
  snprintf(path, sizeof path, "%s/folder.zip", c.dir);
  assert_int_equal(mkdir(path, 0755), 0);
  assert_int_equal(nng_unpack(path, c.dest, NULL, c.reason, sizeof c.reason), -1);
  assert_string_equal(c.reason, "folder.zip: not a regular file");
  assert_int_equal(rmdir(path), 0);
  assert_int_equal(nng_unpack(NULL, c.dest, NULL, c.reason, sizeof c.reason), -1);

  /* no room for a reason, or a little: still a string */
  assert_int_equal(nng_unpack(c.archive, c.dest, NULL, NULL, 0), 0);
  remove_tree(c.dest);
  assert_int_equal(mkdir(c.dest, 0700), 0);
  snprintf(path, sizeof path, "%s/bob.zip", c.dir);
  memset(reason, 'x', sizeof reason);
  assert_int_equal(nng_unpack(path, c.dest, NULL, reason, 16), -1);
  assert_string_equal(reason, "bob.zip: cannot");
  assert_int_equal(reason[16], 'x');  /* nothing written past the size */

  /* An archive with no file in it says so. */
  case_init(&c, "no-files", ZIP);
  spec d[] = {{.type = 'd', .name = "ex01/"}};
  write_archive(c.archive, ZIP, d, 1);
  assert_int_equal(case_unpack(&c, NULL), 1);
  assert_string_equal(c.reason, "alice.zip: the archive holds no files");
  case_init(&c, "no-files-but-links", ZIP);
  spec l[] = {{.type = 'l', .name = "ex01", .target = "/"}};
  write_archive(c.archive, ZIP, l, 1);
  assert_int_equal(case_unpack(&c, NULL), 1);
  assert_string_equal(c.reason, "alice.zip: the archive holds no files; entry 'ex01' is a "
                      "symbolic link: skipped");
  case_init(&c, "no-entries", TGZ);
  write_archive(c.archive, TGZ, NULL, 0);
  assert_int_equal(case_unpack(&c, NULL), 1);
  assert_string_equal(c.reason, "alice.tar.gz: the archive holds no files");
  assert_contained(&c);
}

/* Many skipped entries: the reason stays within its size, lists whole
 * notes only, and says how many it could not list. */
static void
many_notes_are_counted(void **state)
{
  (void) state;
  enum { N = 200 };
  static char names[N][32];
  static spec s[N + 1];
  test_case c;
  case_init(&c, "many-notes", TGZ);
  s[0] = (spec) {.type = 'f', .name = "ex01/exercise1.c", .data = "int ok;\n"};
  for (int i = 0; i < N; i++) {
    snprintf(names[i], sizeof names[i], "link%03d", i);
    s[i + 1] = (spec) {.type = 'l', .name = names[i], .target = "/"};
  }
  write_archive(c.archive, TGZ, s, N + 1);
  size_t sizes[] = {sizeof c.reason, 1024, 100};
  for (size_t k = 0; k < 3; k++) {
    remove_tree(c.dest);
    assert_int_equal(mkdir(c.dest, 0700), 0);
    assert_int_equal(nng_unpack(c.archive, c.dest, NULL, c.reason, sizes[k]), 1);
    assert_true(strlen(c.reason) < sizes[k]);
    assert_true(strncmp(c.reason, "alice.tar.gz: entry 'link000' is a symbolic link: "
                        "skipped; ", 59) == 0);
    /* "...: skipped; and 187 more": the last note listed is whole, and
     * the count makes up the 200. */
    const char *more = strstr(c.reason, "; and ");
    assert_non_null(more);
    assert_true(strncmp(more - 9, ": skipped", 9) == 0);
    size_t listed = 0;
    for (const char *p = c.reason; (p = strstr(p, ": skipped")) != NULL; p++)
      listed++;
    char tail[64];
    snprintf(tail, sizeof tail, "; and %zu more", (size_t) N - listed);
    assert_string_equal(more, tail);
  }
  assert_contained(&c);
}

/* ===== The submission's root folder ===== */

static void
submission_root_finds_a_single_folder(void **state)
{
  (void) state;
  char dir[1300], path[1400], root[1600];
  snprintf(dir, sizeof dir, "%s/root", out_dir);
  remove_tree(dir);
  assert_int_equal(mkdir(dir, 0755), 0);

  /* empty: the folder itself */
  assert_int_equal(nng_submission_root(dir, root, sizeof root), 0);
  assert_string_equal(root, dir);

  /* one folder, with Mac OS's and a version control's leftovers around */
  snprintf(path, sizeof path, "%s/alice", dir);
  assert_int_equal(mkdir(path, 0755), 0);
  snprintf(path, sizeof path, "%s/.DS_Store", dir);
  write_file(path, "x", 1);
  snprintf(path, sizeof path, "%s/__MACOSX", dir);
  assert_int_equal(mkdir(path, 0755), 0);
  assert_int_equal(nng_submission_root(dir, root, sizeof root), 1);
  snprintf(path, sizeof path, "%s/alice", dir);
  assert_string_equal(root, path);

  /* a root too long for ROOT: the folder itself, never a cut path */
  char small[8];
  assert_int_equal(nng_submission_root(dir, small, sizeof small), 0);

  /* one folder and a file: the folder itself */
  snprintf(path, sizeof path, "%s/exercise1.c", dir);
  write_file(path, "x", 1);
  assert_int_equal(nng_submission_root(dir, root, sizeof root), 0);
  assert_string_equal(root, dir);
  assert_int_equal(unlink(path), 0);

  /* two folders: the folder itself */
  snprintf(path, sizeof path, "%s/bob", dir);
  assert_int_equal(mkdir(path, 0755), 0);
  assert_int_equal(nng_submission_root(dir, root, sizeof root), 0);
  assert_string_equal(root, dir);
  assert_int_equal(rmdir(path), 0);

  /* a symbolic link to a folder is not a folder */
  snprintf(path, sizeof path, "%s/link", dir);
  assert_int_equal(symlink("alice", path), 0);
  assert_int_equal(nng_submission_root(dir, root, sizeof root), 0);
  assert_int_equal(unlink(path), 0);

  /* a missing folder: itself */
  snprintf(path, sizeof path, "%s/missing", dir);
  assert_int_equal(nng_submission_root(path, root, sizeof root), 0);
  assert_string_equal(root, path);
}

/* ===== Setup ===== */

static int
setup(void **state)
{
  (void) state;
  const char *b = getenv("NN_TOP_BUILDDIR");
  if (b == NULL)
    return -1;
  /* The modes the test expects (0644, 0755) are libarchive's less the
   * umask: fix it. */
  umask(022);
  char tests[1100];
  snprintf(tests, sizeof tests, "%s/tests", b);
  snprintf(out_dir, sizeof out_dir, "%s/tests/out/unpack", b);
  mkdir(tests, 0755);
  char out[1150];
  snprintf(out, sizeof out, "%s/tests/out", b);
  mkdir(out, 0755);
  remove_tree(out_dir);
  return mkdir(out_dir, 0755) == 0 ? 0 : -1;
}

int
main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(kind_says_folder_archive_or_other),
    cmocka_unit_test(normal_tar_gz_unpacks_byte_for_byte),
    cmocka_unit_test(normal_zip_unpacks_byte_for_byte),
    cmocka_unit_test(utf8_names_are_kept),
    cmocka_unit_test(hostile_names_are_skipped_tar_gz),
    cmocka_unit_test(hostile_names_are_skipped_zip),
    cmocka_unit_test(links_and_devices_are_skipped_tar_gz),
    cmocka_unit_test(links_and_devices_are_skipped_zip),
    cmocka_unit_test(bomb_stops_at_the_file_limit_tar_gz),
    cmocka_unit_test(bomb_stops_at_the_file_limit_zip),
    cmocka_unit_test(bomb_limit_acts_while_streaming),
    cmocka_unit_test(total_limit_stops_unpacking),
    cmocka_unit_test(too_many_entries_stop_unpacking),
    cmocka_unit_test(long_and_deep_names_are_skipped),
    cmocka_unit_test(damaged_archives_give_a_reason),
    cmocka_unit_test(bad_calls_are_refused),
    cmocka_unit_test(many_notes_are_counted),
    cmocka_unit_test(submission_root_finds_a_single_folder),
  };
  return cmocka_run_group_tests(tests, setup, NULL);
}
