/* SPDX-License-Identifier: GPL-3.0-or-later */
/* unpack.h: a student's archive, unpacked safely.
 *
 * nngrade batch takes a folder that holds one entry per student: a folder,
 * a .tar.gz (.tgz) or a .zip. An archive is student input like any other,
 * so it is hostile until proven otherwise: a name such as
 * "../../home/ta/.bashrc" or "/etc/cron.d/x", a symbolic link "ex01 -> /"
 * followed by "ex01/etc/passwd", a hard link to a file of the TA, a device
 * node, a zip of a few hundred KB that inflates to gigabytes, or a million
 * empty files. The archive formats are read by libarchive (a well-kept
 * library: its readers are fuzzed continuously), never by a parser of our
 * own; this module decides what of an archive reaches the disk, and checks
 * it twice: once itself, on the names, before libarchive sees the entry,
 * and once more through libarchive's own guards (ARCHIVE_EXTRACT_SECURE_*).
 *
 * The rules:
 *   - only regular files and folders are unpacked. A symbolic link, a hard
 *     link, a device, a named pipe or a socket is skipped with a note, and
 *     the rest of the archive is unpacked: a link in a submission is almost
 *     always an accident (left in a project folder, a build tree), and
 *     refusing the whole archive would cost the student every exercise.
 *   - a name is a relative path inside the destination: an absolute path,
 *     a ".." component, a control character, a name longer than
 *     limits.max_path bytes or more than limits.max_depth components deep
 *     is skipped with a note. "." components and repeated slashes are
 *     dropped ("./ex01//exercise1.c" is ex01/exercise1.c). Mac OS's
 *     "__MACOSX/" folder of resource forks is left out silently.
 *   - files are created 0644 and folders 0755, whatever the archive says:
 *     no setuid bit, no owner, no unreadable file; times are not restored.
 *   - limits: every byte of entry data counts, whether it is unpacked or
 *     skipped, and is counted while it streams out of the decompressor,
 *     before it is written; more than limits.max_file_bytes in one entry,
 *     more than limits.max_total_bytes in all, or more than
 *     limits.max_entries entries stops unpacking at once. A limit means
 *     the archive is not a normal submission (a zip bomb, a data set, a
 *     build folder), so going on would only cost time on hostile input.
 *   - a damaged or truncated archive stops unpacking with a reason that
 *     says so; it never crashes the grader. A zip entry whose CRC does not
 *     match is skipped, and the rest unpacked. (libarchive does not check
 *     gzip's CRC: a flipped byte inside a file of a .tar.gz goes unnoticed
 *     here; the compiler or the tests see it.)
 *   - a file whose data did not arrive whole (a limit, damage) is removed;
 *     files unpacked before the problem stay.
 *
 * Call order: nng_submission_kind() on each entry of the submissions
 * folder; for an archive, nng_unpack() into a fresh private folder (made
 * with mkdtemp), then nng_submission_root() on that folder to find where
 * the exercises are. What an archive left in the folder, even after an
 * error, is the caller's to remove, with the folder.
 */
#ifndef NNG_UNPACK_H
#define NNG_UNPACK_H

#include <stddef.h>
#include <stdint.h>

/* What an entry of the submissions folder is. */
typedef enum nng_entry_kind {
  NNG_ENTRY_OTHER = 0,        /* not a submission (a README, a symbolic link) */
  NNG_ENTRY_FOLDER,           /* a folder: graded where it is */
  NNG_ENTRY_TAR_GZ,           /* NAME.tar.gz or NAME.tgz */
  NNG_ENTRY_ZIP               /* NAME.zip */
} nng_entry_kind;

/* What nng_unpack() allows an archive. */
typedef struct nng_unpack_limits {
  uint64_t max_total_bytes;   /* data of all entries together (16 MiB) */
  uint64_t max_file_bytes;    /* data of one entry (4 MiB) */
  size_t max_entries;         /* entries of any type (1000) */
  size_t max_path;            /* bytes in a cleaned name (256; at most 4095) */
  size_t max_depth;           /* components in a cleaned name (16) */
} nng_unpack_limits;

/* The defaults above: generous for source code and a few small data files,
 * far below what hurts the machine that grades. */
void nng_unpack_limits_default(nng_unpack_limits *limits);

/* What the entry PATH of the submissions folder is, and the student's name
 * in NAME (NAME_SIZE bytes; may be NULL): the folder's name, or the
 * archive's name without .tar.gz, .tgz or .zip (matched in any case:
 * "Alice.ZIP" is Alice's). PATH is not followed when it is a symbolic link
 * (NNG_ENTRY_OTHER), and an archive must be a regular file: a named pipe
 * called alice.zip would block whoever opens it. The contents are not
 * looked at: nng_unpack() says when an archive is not what its name says. */
nng_entry_kind nng_submission_kind(const char *path, char *name, size_t name_size);

/* Unpack the archive ARCHIVE (.tar.gz, .tgz or .zip, by its name) into the
 * folder DEST, which must exist and be empty (made with mkdtemp: private to
 * the caller). LIMITS may be NULL for the defaults.
 *
 * Returns 0 when every entry was unpacked; 1 when the archive was unpacked
 * but some entries were skipped (REASON says which and why), or when it
 * holds no file at all; -1 when unpacking stopped or could not start: a
 * limit, a damaged or truncated archive, an archive that is not what its
 * name says, a DEST that is not an empty folder (REASON says what). After
 * -1, DEST may hold what was unpacked before the problem, never a file
 * cut short.
 *
 * REASON (REASON_SIZE bytes; may be NULL) receives "" for 0, else one line
 * that starts with the archive's name and names each entry concerned, e.g.
 * "alice.zip: entry '../../etc/passwd' escapes the submission folder:
 * skipped". It names the archive, not its folder: it is meant for the
 * student's feedback as well as for the TA.
 *
 * The working folder of the process is DEST during the call (libarchive
 * unpacks relative to it) and is restored before the call returns, so do
 * not call this from a program with threads; nngrade unpacks in the worker
 * process of each student. The calling thread's locale is C.UTF-8 during
 * the call (so that names in UTF-8 survive), then restored. */
int nng_unpack(const char *archive, const char *dest, const nng_unpack_limits *limits,
               char *reason, size_t reason_size);

/* The folder that holds a submission unpacked into DIR, in ROOT (ROOT_SIZE
 * bytes): DIR/NAME when DIR holds exactly one folder NAME and nothing else
 * (students often zip "alice/ex01/exercise1.c" rather than "ex01/..."),
 * otherwise DIR. Hidden entries (".DS_Store", ".git") and "__MACOSX" do
 * not count. Only one level is looked at. Returns 1 when ROOT is a folder
 * inside DIR, 0 when it is DIR. */
int nng_submission_root(const char *dir, char *root, size_t root_size);

#endif /* NNG_UNPACK_H */
