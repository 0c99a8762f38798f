/* SPDX-License-Identifier: GPL-3.0-or-later */
/* batch.c: grading a class (see batch.h). */
#include <config.h>

#include <csv.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <nn/plot.h>

#include "batch.h"
#include "hidden.h"
#include "rubric.h"
#include "state.h"
#include "unpack.h"

static const char *program = "nngrade";

/* ===== Names =====
 *
 * A student's name is whatever the entry is called: "Lê Văn An", "Doe, Jane",
 * or a name holding a newline or an escape sequence. Two things are made of
 * it: the file names of the student's feedback and state, which must be
 * different for different names, and the text nngrade prints, which must
 * not be able to forge a line or move the terminal's cursor.
 */

/* The length (1 to 4) of the well-formed UTF-8 character at P, with its
 * code point in *CP; 0 when P does not start one (a stray byte, an overlong
 * form, a surrogate). */
static int
utf8_char(const unsigned char *p, unsigned long *cp)
{
  unsigned char c = p[0];
  int len;
  unsigned long v, min;
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  if (c >= 0xc2 && c <= 0xdf) {
    len = 2, v = c & 0x1f, min = 0x80;
  } else if (c >= 0xe0 && c <= 0xef) {
    len = 3, v = c & 0x0f, min = 0x800;
  } else if (c >= 0xf0 && c <= 0xf4) {
    len = 4, v = c & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  for (int k = 1; k < len; k++) {
    if ((p[k] & 0xc0) != 0x80)
      return 0;
    v = v << 6 | (p[k] & 0x3f);
  }
  if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
    return 0;
  *cp = v;
  return len;
}

/* Characters that change how a terminal shows what follows them: the
 * controls (C0, DEL, C1), line and paragraph separators, and the
 * bidirectional marks, overrides and isolates. */
static int
is_control(unsigned long cp)
{
  return cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == 0x2028 || cp == 0x2029
         || cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e)
         || (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff;
}

const char *
nng_printable(const char *name, char *buf, size_t n)
{
  const unsigned char *p = (const unsigned char *) (name != NULL ? name : "");
  size_t k = 0;
  while (*p != '\0') {
    char piece[24];
    size_t len = 0;
    unsigned long cp;
    int c = utf8_char(p, &cp);
    if (c > 0 && !is_control(cp) && cp != '\\') {
      memcpy(piece, p, (size_t) c);
      len = (size_t) c;
    } else if (c == 1) {  /* an ASCII control or the backslash */
      const char *e = *p == '\\' ? "\\\\" : *p == '\n' ? "\\n" : *p == '\t' ? "\\t"
                      : *p == '\r' ? "\\r" : NULL;
      len = e != NULL ? (size_t) snprintf(piece, sizeof piece, "%s", e)
                      : (size_t) snprintf(piece, sizeof piece, "\\x%02x", *p);
    } else {  /* each byte of a control, or one byte that is not UTF-8 */
      c = c > 0 ? c : 1;
      for (int j = 0; j < c; j++)
        len += (size_t) snprintf(piece + len, sizeof piece - len, "\\x%02x", p[j]);
    }
    if (k + len + 1 > n)
      break;
    memcpy(buf + k, piece, len);
    k += len;
    p += c;
  }
  buf[k] = '\0';
  return buf;
}

/* The longest file stem: NAME_MAX (255) less ".state.tmp.PID" and the like. */
#define STEM_MAX 200

/* NAME as a file stem in OUT (STEM_MAX + 1 bytes), one-to-one: ASCII
 * letters, digits, '.', '_', '-' and spaces, and printable UTF-8 beyond
 * ASCII, stay; every other byte becomes %XX (its value in hex), and so do
 * '%' itself and a leading '.' (no hidden files, no "." or ".."). A stem
 * that would be longer than STEM_MAX keeps its beginning and ends in '~'
 * and 16 hex digits of a hash (FNV-1a) of the whole name: '~' is escaped
 * everywhere else, so such a stem cannot be another name's. */
static void
file_stem(const char *name, char *out)
{
  const unsigned char *p = (const unsigned char *) name;
  char whole[4 * 256 + 1];  /* every byte escaped, with room to spare */
  size_t k = 0, fits = 0;   /* fits: the last cut that leaves room for the hash */
  while (*p != '\0' && k + 4 < sizeof whole) {
    unsigned long cp;
    int c = utf8_char(p, &cp);
    int keep = c == 1 ? ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')
                         || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'
                         || *p == ' ' || (*p == '.' && k > 0))
                      : c > 1 && !is_control(cp);
    if (keep) {
      memcpy(whole + k, p, (size_t) c);
      k += (size_t) c;
      p += c;
    } else {
      k += (size_t) snprintf(whole + k, sizeof whole - k, "%%%02X", *p);
      p++;
    }
    if (k <= STEM_MAX - 17)
      fits = k;
  }
  whole[k] = '\0';
  if (k == 0) {
    snprintf(out, STEM_MAX + 1, "%%");  /* no name: '%' alone is no escape */
  } else if (k <= STEM_MAX) {
    memcpy(out, whole, k + 1);
  } else {
    unsigned long long h = 14695981039346656037ULL;
    for (p = (const unsigned char *) name; *p != '\0'; p++)
      h = (h ^ *p) * 1099511628211ULL;
    memcpy(out, whole, fits);
    snprintf(out + fits, STEM_MAX + 1 - fits, "~%016llx", h);
  }
}

/* ===== Entries ===== */

typedef struct entry {
  char name[256];          /* the student */
  char file[STEM_MAX + 1]; /* the file stem for feedback and state (file_stem) */
  char path[1400];         /* the folder or archive */
  int archive;             /* 1: unpack first */
} entry;

static int
by_name(const void *a, const void *b)
{
  return strcmp(((const entry *) a)->name, ((const entry *) b)->name);
}

/* The entries of SUBMISSIONS, sorted by name; NULL with a message on error,
 * also when two entries are one student's (alice/ and alice.zip). */
static entry *
find_entries(const char *submissions, size_t *count)
{
  struct dirent **list = NULL;
  char shown[1024], other[1024];
  int n = scandir(submissions, &list, NULL, alphasort);
  if (n < 0) {
    fprintf(stderr, "%s: cannot read the submissions folder %s: %s\n", program,
            nng_printable(submissions, shown, sizeof shown), strerror(errno));
    return NULL;
  }
  entry *e = calloc(n > 0 ? (size_t) n : 1, sizeof *e);
  size_t k = 0;
  for (int i = 0; i < n; i++) {
    const char *name = list[i]->d_name;
    if (e == NULL || name[0] == '.') {
      free(list[i]);
      continue;
    }
    entry *x = &e[k];
    snprintf(x->path, sizeof x->path, "%s/%s", submissions, name);
    char student[256];
    nng_entry_kind kind = nng_submission_kind(x->path, student, sizeof student);
    if (kind == NNG_ENTRY_OTHER) {
      fprintf(stderr, "%s: %s: not a folder, .tar.gz or .zip: skipped\n", program,
              nng_printable(x->path, shown, sizeof shown));
      free(list[i]);
      continue;
    }
    x->archive = kind == NNG_ENTRY_TAR_GZ || kind == NNG_ENTRY_ZIP;
    snprintf(x->name, sizeof x->name, "%s", student);
    file_stem(student, x->file);
    k++;
    free(list[i]);
  }
  free(list);
  if (e == NULL) {
    fprintf(stderr, "%s: out of memory\n", program);
    return NULL;
  }
  qsort(e, k, sizeof *e, by_name);
  /* Sorted, one student's entries are neighbours; distinct names have
   * distinct stems, but for a hash that collides. */
  int clash = 0;
  for (size_t i = 0; i < k; i++)
    for (size_t j = i + 1; j < k; j++)
      if (strcmp(e[i].name, e[j].name) == 0 || strcmp(e[i].file, e[j].file) == 0) {
        char who[1024];
        fprintf(stderr, "%s: %s and %s are both the submission of %s: keep one of "
                "them and run again (nothing was graded)\n", program,
                nng_printable(e[i].path, shown, sizeof shown),
                nng_printable(e[j].path, other, sizeof other),
                nng_printable(e[j].name, who, sizeof who));
        clash = 1;
      }
  if (clash) {
    free(e);
    return NULL;
  }
  *count = k;
  return e;
}

/* 1 when the file system of the folder DIR does not tell letter case apart
 * (then "Alice" and "alice" would share their feedback file). */
static int
case_blind(const char *dir)
{
  char lower[1600], upper[1600];
  snprintf(lower, sizeof lower, "%s/case-probe-%ld", dir, (long) getpid());
  snprintf(upper, sizeof upper, "%s/CASE-PROBE-%ld", dir, (long) getpid());
  int fd = open(lower, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    return 0;
  close(fd);
  int blind = access(upper, F_OK) == 0;
  unlink(lower);
  return blind;
}

/* On a case-blind file system, two stems that differ only in case are one
 * file: stop with an error naming both. 0, or -1. */
static int
check_case_clashes(const entry *e, size_t n, const char *dir)
{
  if (n < 2 || !case_blind(dir))
    return 0;
  int clash = 0;
  char a[1024], b[1024];
  for (size_t i = 0; i < n; i++)
    for (size_t j = i + 1; j < n; j++)
      if (strcasecmp(e[i].file, e[j].file) == 0) {
        fprintf(stderr, "%s: %s and %s differ only in letter case, and the file system "
                "of %s does not tell them apart: rename one and run again (nothing "
                "was graded)\n", program, nng_printable(e[i].path, a, sizeof a),
                nng_printable(e[j].path, b, sizeof b), dir);
        clash = 1;
      }
  return clash ? -1 : 0;
}

/* ===== One student, in a worker process ===== */

static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
  (void) st;
  (void) ftw;
  if (flag == FTW_DP)
    rmdir(path);
  else
    unlink(path);
  return 0;
}

/* Grade the exercises of the folder ROOT into S. Returns 0, or -1 when the
 * grader itself failed on one (S says which and why): that is no grade. */
static int
grade_folder(const nng_config *cfg, const char *root, const nng_hidden *hidden,
             int only, nng_student *s, const char *unpack_problem)
{
  char path[1400];
  int status = 0;
  for (size_t e = 0; e < nng_n_exercises && s->n < NNG_MAX_EXERCISES; e++) {
    const nng_exercise *ex = &nng_exercises[e];
    if (only != 0 && ex->number != only)
      continue;
    nng_exercise_result *r = &s->res[s->n++];
    char refused[512] = "";
    int found = root != NULL
                && nng_locate_source(root, ex, path, sizeof path, refused, sizeof refused) == 1;
    if (nng_grade_exercise(cfg, ex, hidden ? hidden->tests[e] : NULL,
                           found ? path : NULL, r) != 0)
      status = -1;
    if (refused[0] != '\0')  /* a link that leads out of the submission */
      snprintf(r->reason, sizeof r->reason, "%s", refused);
    else if (!found && unpack_problem != NULL && unpack_problem[0] != '\0')
      snprintf(r->reason, sizeof r->reason, "%s", unpack_problem);
    if (found) /* the feedback names the file inside the submission */
      snprintf(r->source, sizeof r->source, "%s", path + strlen(root) + 1);
  }
  return status;
}

/* The worker: grade entry X and write its state file. Exit status 0 when the
 * state file was written; 3 when the grader failed (no state file: the
 * student is not graded, and a rerun tries again). */
static int
grade_entry(const nng_config *cfg, const entry *x, const nng_hidden *hidden, int only,
     const char *state_path)
{
  nng_student s;
  char shown[1024], why_shown[2048];
  nng_printable(x->name, shown, sizeof shown);
  memset(&s, 0, sizeof s);
  snprintf(s.name, sizeof s.name, "%s", x->name);
  snprintf(s.entry, sizeof s.entry, "%s", x->path);
  int graded;
  if (!x->archive) {
    graded = grade_folder(cfg, x->path, hidden, only, &s, NULL);
  } else {
    const char *tmp = getenv("TMPDIR");
    char scratch[1024], why[1024] = "";
    snprintf(scratch, sizeof scratch, "%s/nngrade-unpack-XXXXXX",
             tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
    if (mkdtemp(scratch) == NULL) {
      fprintf(stderr, "%s: %s: cannot create a scratch folder: %s\n", program, shown,
              strerror(errno));
      return 3;
    }
    int unpacked = nng_unpack(x->path, scratch, NULL, why, sizeof why);
    char root[1400];
    nng_submission_root(scratch, root, sizeof root);
    if (unpacked != 0)  /* skipped entries (1) or an archive that failed (-1) */
      fprintf(stderr, "%s: %s\n", program,
              nng_printable(why, why_shown, sizeof why_shown));
    graded = grade_folder(cfg, root, hidden, only, &s, why);
    nftw(scratch, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
  }
  int status = 0;
  if (graded != 0) {
    for (size_t e = 0; e < s.n; e++)
      if (s.res[e].status == NNG_EX_GRADER_ERROR)
        fprintf(stderr, "%s: %s: exercise %d: %s\n", program, shown,
                s.res[e].exercise->number,
                nng_printable(s.res[e].reason, why_shown, sizeof why_shown));
    status = 3;
  } else if (nng_state_write(state_path, &s) != 0) {
    fprintf(stderr, "%s: %s: cannot write %s: %s\n", program, shown, state_path,
            strerror(errno));
    status = 3;
  }
  nng_student_free(&s);
  return status;
}

/* ===== Progress ===== */

static void
progress(int tty, size_t done, size_t total, const char *student, double start)
{
  char name[1024];
  nng_printable(student, name, sizeof name);
  if (!tty) {
    fprintf(stderr, "%s: graded %s (%zu/%zu)\n", program, name, done, total);
    return;
  }
  int width = 30, filled = total ? (int) (width * done / total) : width;
  double elapsed = nng_now() - start;
  fprintf(stderr, "\r[%.*s%.*s] %zu/%zu  %.1f/min  %-24.24s", filled,
          "##############################", width - filled,
          "                              ", done, total,
          elapsed > 0 ? 60.0 * (double) done / elapsed : 0.0, name);
  if (done == total)
    fputc('\n', stderr);
}

/* ===== The roster =====
 *
 * A learning-management system matches grades on a student ID or an email,
 * which the names of the submissions do not hold. The roster gives them:
 *
 *   submission,id,email,section
 *   Lê Văn An,s1024,an.le@example.edu,A
 *
 * one row per student, with the name of the student's entry (a folder, or
 * an archive without .tar.gz/.zip). It is read with libcsv; a mistake in it
 * stops the batch with the file and line, before anyone is graded.
 */

typedef struct roster_row {
  char *field[4];   /* submission, id, email, section, as in the file */
  int line;         /* where the row ends */
  int submitted;    /* 1 when an entry has this name */
} roster_row;

typedef struct roster {
  const char *path;
  roster_row *rows;
  size_t n, cap;
  /* while parsing */
  char *field[4];   /* the fields of the row being read */
  size_t n_fields;
  int line, header_seen;
  char why[1024];   /* the first mistake; empty while there is none */
} roster;

static const char *const roster_columns[4] = {"submission", "id", "email", "section"};

static void
roster_free(roster *r)
{
  for (size_t i = 0; i < r->n; i++)
    for (int c = 0; c < 4; c++)
      free(r->rows[i].field[c]);
  for (int c = 0; c < 4; c++)
    free(r->field[c]);
  free(r->rows);
  memset(r, 0, sizeof *r);
}

/* libcsv: one field of the row being read. */
static void
roster_field(void *text, size_t len, void *data)
{
  roster *r = data;
  if (r->n_fields < 4)
    r->field[r->n_fields] = strndup(text != NULL ? text : "", len);
  r->n_fields++;
}

/* The row of R, if any, that has VALUE in column COLUMN. */
static const roster_row *
roster_find(const roster *r, int column, const char *value)
{
  for (size_t i = 0; i < r->n; i++)
    if (strcmp(r->rows[i].field[column], value) == 0)
      return &r->rows[i];
  return NULL;
}

/* libcsv: the end of a row. */
static void
roster_row_end(int terminator, void *data)
{
  (void) terminator;
  roster *r = data;
  size_t n = r->n_fields;
  char shown[512];
  r->n_fields = 0;
  if (r->why[0] != '\0')
    goto done;
  for (size_t c = 0; c < 4 && c < n; c++)
    if (r->field[c] == NULL) {
      snprintf(r->why, sizeof r->why, "out of memory");
      goto done;
    }
  if (n != 4) {
    snprintf(r->why, sizeof r->why, "%s:%d: a row of %zu field%s; the roster has four "
             "columns: submission,id,email,section", r->path, r->line, n,
             n == 1 ? "" : "s");
    goto done;
  }
  if (!r->header_seen) {
    r->header_seen = 1;
    for (int c = 0; c < 4; c++)
      if (strcasecmp(r->field[c], roster_columns[c]) != 0)
        snprintf(r->why, sizeof r->why, "%s:%d: the first line must name the columns "
                 "submission,id,email,section", r->path, r->line);
    goto done;
  }
  if (r->field[0][0] == '\0') {
    snprintf(r->why, sizeof r->why, "%s:%d: the submission name is empty", r->path,
             r->line);
    goto done;
  }
  for (int c = 0; c < 3; c++) {  /* names, IDs and emails each name one student */
    const roster_row *same =
      r->field[c][0] != '\0' ? roster_find(r, c, r->field[c]) : NULL;
    if (same != NULL) {
      snprintf(r->why, sizeof r->why, "%s:%d: the %s %s is also on line %d", r->path,
               r->line, c == 0 ? "submission" : roster_columns[c],
               nng_printable(r->field[c], shown, sizeof shown), same->line);
      goto done;
    }
  }
  if (r->n == r->cap) {
    size_t cap = r->cap ? 2 * r->cap : 64;
    roster_row *rows = realloc(r->rows, cap * sizeof *rows);
    if (rows == NULL) {
      snprintf(r->why, sizeof r->why, "out of memory");
      goto done;
    }
    r->rows = rows;
    r->cap = cap;
  }
  roster_row *row = &r->rows[r->n++];
  memcpy(row->field, r->field, sizeof row->field);
  memset(r->field, 0, sizeof r->field);
  row->line = r->line;
  row->submitted = 0;
done:
  for (int c = 0; c < 4; c++) {
    free(r->field[c]);
    r->field[c] = NULL;
  }
}

/* A value a spreadsheet would take for a formula. */
static int
looks_like_formula(const char *s)
{
  return s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
}

static int
roster_by_name(const void *a, const void *b)
{
  return strcmp(((const roster_row *) a)->field[0], ((const roster_row *) b)->field[0]);
}

/* Read the roster at PATH into R. 0, or -1 with a message printed. The IDs
 * and emails a spreadsheet could take for formulas are kept as they are
 * (they are what a gradebook matches on), with a warning. */
static int
roster_load(roster *r, const char *path)
{
  memset(r, 0, sizeof *r);
  r->path = path;
  char shown[1024];
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    fprintf(stderr, "%s: cannot read the roster %s: %s\n", program,
            nng_printable(path, shown, sizeof shown), strerror(errno));
    return -1;
  }
  struct csv_parser parser;
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
    fclose(f);
    fprintf(stderr, "%s: out of memory\n", program);
    return -1;
  }
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  int failed = 0;
  while (!failed && r->why[0] == '\0' && (len = getline(&line, &cap, f)) > 0) {
    const char *text = line;
    r->line++;
    if (r->line == 1 && len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
      text += 3;  /* the byte-order mark spreadsheets write in front of UTF-8 */
      len -= 3;
    }
    failed = csv_parse(&parser, text, (size_t) len, roster_field, roster_row_end, r)
             != (size_t) len;
  }
  if (!failed && r->why[0] == '\0')
    failed = csv_fini(&parser, roster_field, roster_row_end, r) != 0;
  if (failed && r->why[0] == '\0')
    snprintf(r->why, sizeof r->why, "%s:%d: %s", path, r->line,
             csv_strerror(csv_error(&parser)));
  if (r->why[0] == '\0' && !r->header_seen)
    snprintf(r->why, sizeof r->why, "%s: empty; the first line must name the columns "
             "submission,id,email,section", path);
  if (r->why[0] == '\0' && ferror(f))
    snprintf(r->why, sizeof r->why, "%s: %s", path, strerror(errno));
  free(line);
  csv_free(&parser);
  fclose(f);
  if (r->why[0] != '\0') {
    fprintf(stderr, "%s: %s\n", program, nng_printable(r->why, shown, sizeof shown));
    roster_free(r);
    return -1;
  }
  qsort(r->rows, r->n, sizeof *r->rows, roster_by_name);
  for (size_t i = 0; i < r->n; i++)
    for (int c = 1; c < 3; c++)
      if (looks_like_formula(r->rows[i].field[c])) {
        char value[512];
        fprintf(stderr, "%s: warning: %s:%d: the %s %s starts with a character a "
                "spreadsheet may take for a formula; grades.csv keeps it exactly, "
                "since the gradebook matches on it: check it after an import\n",
                program, path, r->rows[i].line, roster_columns[c],
                nng_printable(r->rows[i].field[c], value, sizeof value));
      }
  return 0;
}

/* ===== Outputs ===== */

/* Write FILE atomically: a temporary name, then rename. */
typedef struct out_file {
  char path[1600], tmp[1700];
  FILE *f;
} out_file;

static FILE *
out_open(out_file *o, const char *path)
{
  snprintf(o->path, sizeof o->path, "%s", path);
  snprintf(o->tmp, sizeof o->tmp, "%s.tmp.%ld", path, (long) getpid());
  o->f = fopen(o->tmp, "w");
  if (o->f == NULL)
    fprintf(stderr, "%s: cannot write %s: %s\n", program, o->tmp, strerror(errno));
  return o->f;
}

static int
out_close(out_file *o)
{
  if (o->f == NULL)
    return -1;
  int bad = ferror(o->f);
  if (fclose(o->f) != 0)
    bad = 1;
  o->f = NULL;
  if (bad || rename(o->tmp, o->path) != 0) {
    fprintf(stderr, "%s: cannot write %s: %s\n", program, o->path, strerror(errno));
    unlink(o->tmp);
    return -1;
  }
  return 0;
}

/* What the summary gathers. */
typedef struct stats {
  double percent[NNG_MAX_EXERCISES][2048];  /* scores in percent, per exercise */
  size_t n[NNG_MAX_EXERCISES];
  struct failing {
    int exercise;
    char name[96];
    int hidden;
    size_t failed, seen;
  } tests[1024];
  size_t n_tests;
} stats;

static void
count_test(stats *st, int exercise, const nng_test_result *t)
{
  size_t k = 0;
  while (k < st->n_tests
         && !(st->tests[k].exercise == exercise && strcmp(st->tests[k].name, t->name) == 0))
    k++;
  if (k == st->n_tests) {
    if (k == sizeof st->tests / sizeof st->tests[0])
      return;
    st->n_tests++;
    st->tests[k].exercise = exercise;
    snprintf(st->tests[k].name, sizeof st->tests[k].name, "%s", t->name);
    st->tests[k].hidden = t->hidden;
    st->tests[k].failed = st->tests[k].seen = 0;
  }
  st->tests[k].seen++;
  st->tests[k].failed += t->verdict != NNG_PASSED;
}

static int
by_failures(const void *a, const void *b)
{
  const struct failing *x = a, *y = b;
  if (x->failed != y->failed)
    return x->failed < y->failed ? 1 : -1;
  if (x->exercise != y->exercise)
    return x->exercise - y->exercise;
  return strcmp(x->name, y->name);
}

static int
by_value(const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* A histogram of exercise E's scores, in ten bins of 10%. */
static void
histogram(const char *dir, const nng_exercise *ex, const double *percent, size_t n)
{
  char name[64], title[256];
  snprintf(name, sizeof name, "scores-%s", ex->folder);
  double counts[10] = {0};
  for (size_t i = 0; i < n; i++) {
    int bin = (int) (percent[i] / 10.0);
    counts[bin < 0 ? 0 : bin > 9 ? 9 : bin] += 1;
  }
  static const char *const labels[10] = {"0-9", "10-19", "20-29", "30-39", "40-49",
                                         "50-59", "60-69", "70-79", "80-89", "90-100"};
  nn_plot *p = nn_plot_alloc(dir, name);
  if (p == NULL)
    return;
  snprintf(title, sizeof title, "Exercise %d: %s (%zu students)", ex->number, ex->title, n);
  nn_plot_title(p, title);
  nn_plot_labels(p, "score (% of the points)", "students");
  /* Students come in whole numbers: integer ticks, about ten of them. */
  double most = 1;
  for (int b = 0; b < 10; b++)
    most = counts[b] > most ? counts[b] : most;
  nn_plot_set(p, "ytics %d", (int) ceil(most / 10.0));
  nn_plot_set(p, "yrange [0:%g]", most + 0.5);
  nn_plot_set(p, "key off");
  nn_plot_bars(p, NULL, labels, counts, 10, NULL);
  nn_plot_write(p);
  if (nn_plot_gnuplot_available()) {
    nn_plot_render(p, "svg");
    nn_plot_render(p, "png");
  }
  nn_plot_free(p);
}

/* The roster's students without a submission, and the submissions that
 * are not on the roster, for summary.md. */
static void
roster_summary(FILE *f, const roster *ros, const entry *e, size_t n_entries)
{
  char name[1024];
  size_t missing = 0, unlisted = 0;
  for (size_t i = 0; i < ros->n; i++)
    missing += !ros->rows[i].submitted;
  for (size_t i = 0; i < n_entries; i++)
    unlisted += roster_find(ros, 0, e[i].name) == NULL;
  fprintf(f, "\n## The roster\n\n%zu students on the roster, %zu without a "
          "submission (0 points, \"missing\" in grades.csv), %zu submissions not on "
          "the roster.\n", ros->n, missing, unlisted);
  if (missing > 0)
    fputs("\nNo submission:\n\n", f);
  for (size_t i = 0; i < ros->n; i++)
    if (!ros->rows[i].submitted)
      fprintf(f, "- %s\n", nng_printable(ros->rows[i].field[0], name, sizeof name));
  if (unlisted > 0)
    fputs("\nNot on the roster:\n\n", f);
  for (size_t i = 0; i < n_entries; i++)
    if (roster_find(ros, 0, e[i].name) == NULL)
      fprintf(f, "- %s\n", nng_printable(e[i].name, name, sizeof name));
}

static void
write_summary(const char *out, const stats *st, size_t students, size_t ungraded,
              const int *exercises, size_t n_ex, const roster *ros,
              const entry *entries, size_t n_entries)
{
  char path[1600], dir[1500];
  snprintf(dir, sizeof dir, "%s/summary", out);
  mkdir(dir, 0755);
  snprintf(path, sizeof path, "%s/summary.md", out);
  out_file o;
  FILE *f = out_open(&o, path);
  if (f == NULL)
    return;
  fprintf(f, "# Summary\n\n%zu students", students);
  if (ungraded > 0)
    fprintf(f, ", %zu not graded (rerun the same command to retry them)", ungraded);
  fputs(".\n\n## Scores per exercise\n\n", f);
  fputs("| exercise | students | mean | median | min | max | histogram |\n", f);
  fputs("|---|---|---|---|---|---|---|\n", f);
  for (size_t k = 0; k < n_ex; k++) {
    size_t e = (size_t) exercises[k];
    const nng_exercise *ex = &nng_exercises[e];
    size_t n = st->n[e];
    double sorted[2048], sum = 0;
    memcpy(sorted, st->percent[e], n * sizeof sorted[0]);
    qsort(sorted, n, sizeof sorted[0], by_value);
    for (size_t i = 0; i < n; i++)
      sum += sorted[i];
    if (n == 0) {
      fprintf(f, "| %d. %s | 0 | | | | | |\n", ex->number, ex->title);
      continue;
    }
    double median = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    fprintf(f, "| %d. %s | %zu | %.1f%% | %.1f%% | %.1f%% | %.1f%% | "
            "[svg](summary/scores-%s.svg) |\n", ex->number, ex->title, n, sum / n,
            median, sorted[0], sorted[n - 1], ex->folder);
    histogram(dir, ex, st->percent[e], n);
  }
  struct failing sorted[1024];
  memcpy(sorted, st->tests, st->n_tests * sizeof sorted[0]);
  qsort(sorted, st->n_tests, sizeof sorted[0], by_failures);
  fputs("\n## The tests most students fail\n\n| exercise | test | failed by |\n"
        "|---|---|---|\n", f);
  for (size_t k = 0; k < st->n_tests && k < 15 && sorted[k].failed > 0; k++)
    fprintf(f, "| %d | %s%s | %zu of %zu (%.0f%%) |\n", sorted[k].exercise,
            sorted[k].hidden ? "hidden: " : "", sorted[k].name, sorted[k].failed,
            sorted[k].seen, 100.0 * (double) sorted[k].failed / (double) sorted[k].seen);
  if (ros != NULL)
    roster_summary(f, ros, entries, n_entries);
  out_close(&o);
}

/* One row of grades.csv, ending in CRLF as RFC 4180 has it: the name, the
 * roster's columns, then the cells of CELLS (already text). IDs and emails
 * are quoted, never changed: the gradebook matches on them. */
static void
csv_row(FILE *csv, const char *name, const roster *ros, const roster_row *row,
        const char *cells, const char *status)
{
  nng_csv_field(csv, name);
  if (ros != NULL) {
    for (int c = 1; c < 3; c++) {
      fputc(',', csv);
      if (row != NULL && row->field[c][0] != '\0')
        csv_fwrite(csv, row->field[c], strlen(row->field[c]));
    }
    fputc(',', csv);
    if (row != NULL)
      nng_csv_field(csv, row->field[3]);
  }
  fputs(cells, csv);
  if (ros != NULL)
    fprintf(csv, ",%s", status);
  fputs("\r\n", csv);
}

/* Make every output from the state files. Returns the number of students
 * without one. ROS (may be NULL) adds its columns and its students without
 * a submission. */
static size_t
assemble(const nng_batch_options *opt, const entry *e, size_t n_entries,
         const nng_rubric *rubric, const nng_hidden *hidden, const int *exercises,
         size_t n_ex, const roster *ros)
{
  char path[1600];
  snprintf(path, sizeof path, "%s/grades.csv", opt->out);
  out_file csv_file;
  FILE *csv = out_open(&csv_file, path);
  if (csv == NULL)
    return n_entries;
  fputs(ros != NULL ? "student,id,email,section" : "student", csv);
  for (size_t k = 0; k < n_ex; k++)
    fprintf(csv, ",%s", nng_exercises[exercises[k]].folder);
  if (rubric->has_deadline)
    fputs(",days_late,late_factor", csv);
  fputs(ros != NULL ? ",total,status\r\n" : ",total\r\n", csv);

  /* The cells after the roster's columns, as text. */
  char *cells = NULL;
  size_t cells_size = 0;
  FILE *m = NULL;
  stats *st = calloc(1, sizeof *st);
  size_t ungraded = 0, r = 0;
  /* Entries and the roster's students without one, merged by name. */
  for (size_t i = 0; i <= n_entries; i++) {
    for (; ros != NULL && r < ros->n; r++) {
      const roster_row *row = &ros->rows[r];
      if (row->submitted)
        continue;
      if (i < n_entries && strcmp(row->field[0], e[i].name) > 0)
        break;
      m = open_memstream(&cells, &cells_size);
      if (m == NULL)
        break;
      for (size_t k = 0; k < n_ex; k++)
        fputs(",0", m);
      fputs(rubric->has_deadline ? ",,,0" : ",0", m);
      fclose(m);
      csv_row(csv, row->field[0], ros, row, cells, "missing");
      free(cells);
      cells = NULL;
    }
    if (i == n_entries)
      break;
    const roster_row *row = ros != NULL ? roster_find(ros, 0, e[i].name) : NULL;
    const char *status = row != NULL ? "graded" : "not on roster";
    nng_student s;
    char why[1024];
    m = open_memstream(&cells, &cells_size);
    if (m == NULL)
      break;
    snprintf(path, sizeof path, "%s/.nngrade/state/%s.state", opt->out, e[i].file);
    if (nng_state_read(path, &s, hidden->tests, why, sizeof why) != 0) {
      /* not graded: a row all the same, with empty cells */
      for (size_t k = 0; k < n_ex; k++)
        fputc(',', m);
      fputs(rubric->has_deadline ? ",,," : ",", m);
      fclose(m);
      csv_row(csv, e[i].name, ros, row, cells, "not graded");
      free(cells);
      cells = NULL;
      ungraded++;
      continue;
    }
    nng_rubric_apply(rubric, &s);
    int days;
    double factor = nng_rubric_late_factor(rubric, s.name, &days), total = 0;
    for (size_t k = 0; k < n_ex; k++) {
      const nng_exercise_result *res = NULL;
      for (size_t j = 0; j < s.n; j++)
        if (s.res[j].exercise == &nng_exercises[exercises[k]])
          res = &s.res[j];
      double grade = res ? res->score * res->weight : 0.0;
      total += grade;
      fprintf(m, ",%g", grade);
      if (st != NULL && res != NULL && st->n[exercises[k]] < 2048) {
        st->percent[exercises[k]][st->n[exercises[k]]++] =
          res->max_score > 0 ? 100.0 * res->score / res->max_score : 0.0;
        for (size_t t = 0; t < res->n_tests && res->status != NNG_EX_MISSING; t++)
          count_test(st, res->exercise->number, &res->tests[t]);
      }
    }
    if (rubric->has_deadline)
      fprintf(m, ",%d,%g", days, factor);
    fprintf(m, ",%g", total * factor);
    fclose(m);
    csv_row(csv, e[i].name, ros, row, cells, status);
    free(cells);
    cells = NULL;

    char title[1400], name[1024];
    snprintf(title, sizeof title, "Feedback for %s",
             nng_printable(s.name, name, sizeof name));
    out_file o;
    snprintf(path, sizeof path, "%s/feedback/%s.md", opt->out, e[i].file);
    if (out_open(&o, path) != NULL) {
      nng_report_write(o.f, title, s.res, s.n, opt->hidden_view, days, factor);
      out_close(&o);
    }
    snprintf(path, sizeof path, "%s/results/%s.json", opt->out, e[i].file);
    if (out_open(&o, path) != NULL) {
      nng_results_json(o.f, s.res, s.n, opt->hidden_view, days, factor);
      out_close(&o);
    }
    nng_student_free(&s);
  }
  out_close(&csv_file);
  if (st != NULL)
    write_summary(opt->out, st, n_entries, ungraded, exercises, n_ex, ros, e, n_entries);
  free(st);
  return ungraded;
}

/* ===== The batch ===== */

static int
make_dir(const char *path)
{
  if (mkdir(path, 0755) == 0 || errno == EEXIST)
    return 0;
  fprintf(stderr, "%s: cannot create %s: %s\n", program, path, strerror(errno));
  return -1;
}

static int
setup_outputs(const char *out)
{
  static const char *const subs[] = {"", "/feedback", "/results", "/.nngrade",
                                     "/.nngrade/state", "/.nngrade/hidden"};
  char path[1500];
  for (size_t k = 0; k < sizeof subs / sizeof subs[0]; k++) {
    snprintf(path, sizeof path, "%s%s", out, subs[k]);
    if (make_dir(path) != 0)
      return -1;
  }
  return 0;
}

/* PATH made absolute, with its links resolved, in OUT (PATH_MAX bytes),
 * also when its last components do not exist yet (--out before the first
 * batch): the longest part that exists is resolved, the rest appended.
 * 0, or -1 with errno. */
static int
resolve_path(const char *path, char *out)
{
  char head[PATH_MAX], tail[PATH_MAX] = "", tmp[PATH_MAX];
  if (snprintf(head, sizeof head, "%s", path) >= (int) sizeof head) {
    errno = ENAMETOOLONG;
    return -1;
  }
  for (;;) {
    size_t len = strlen(head);
    while (len > 1 && head[len - 1] == '/')
      head[--len] = '\0';
    if (realpath(head, tmp) != NULL)
      break;
    if (errno != ENOENT)
      return -1;
    char *slash = strrchr(head, '/');
    const char *last = slash != NULL ? slash + 1 : head;
    if (strcmp(last, ".") != 0) {  /* "a/./b" is "a/b" */
      char rest[PATH_MAX];
      snprintf(rest, sizeof rest, "%s%s%s", last, tail[0] ? "/" : "", tail);
      snprintf(tail, sizeof tail, "%s", rest);
    }
    if (slash == NULL)
      snprintf(head, sizeof head, ".");
    else if (slash == head)
      snprintf(head, sizeof head, "/");
    else
      *slash = '\0';
  }
  if (snprintf(out, PATH_MAX, "%s%s%s", tmp, tail[0] && strcmp(tmp, "/") ? "/" : "",
               tail) >= PATH_MAX) {
    errno = ENAMETOOLONG;
    return -1;
  }
  return 0;
}

/* The output folder must not lie inside the submissions (the next batch
 * would grade it as a student, and --out SUBMISSIONS/alice would write into
 * alice's submission). 0, or -1 with a message printed. */
static int
check_out_folder(const char *submissions, const char *out)
{
  char subs[PATH_MAX], dest[PATH_MAX], a[1024], b[1024];
  if (resolve_path(submissions, subs) != 0 || resolve_path(out, dest) != 0) {
    fprintf(stderr, "%s: cannot resolve %s or %s: %s\n", program,
            nng_printable(submissions, a, sizeof a), nng_printable(out, b, sizeof b),
            strerror(errno));
    return -1;
  }
  size_t n = strlen(subs);
  if (strcmp(subs, "/") == 0 || (strncmp(dest, subs, n) == 0
                                 && (dest[n] == '\0' || dest[n] == '/'))) {
    fprintf(stderr, "%s: the output folder %s is inside the submissions folder %s: "
            "the next batch would grade it as a student, and it could write into a "
            "submission; choose --out outside %s\n", program,
            nng_printable(out, a, sizeof a), nng_printable(submissions, b, sizeof b), b);
    return -1;
  }
  return 0;
}

/* ===== Is the grader set up? =====
 *
 * A missing probe library, compiler or header, or a sandbox that cannot
 * start, would fail every student's every test: a column of zeros that is
 * the grader's fault. So before grading anyone, each exercise's own stub,
 * which compiles, links and runs as shipped, is graded with its first
 * public test: it must compile, link and come back from a probe (as "not
 * implemented yet", or any verdict but a crash).
 */

/* 0 when exercise EX can be graded; -1 with the reason in WHY. */
static int
preflight_exercise(const nng_config *cfg, const nng_exercise *ex, char *why, size_t n)
{
  char stub[1400];
  snprintf(stub, sizeof stub, "%s/%s/%s", cfg->exercises_dir, ex->folder, ex->source);
  if (access(stub, R_OK) != 0) {
    snprintf(why, n, "its stub %s cannot be read: %s", stub, strerror(errno));
    return -1;
  }
  nng_exercise one = *ex;
  nng_test first[2] = {{NULL, NULL, NULL, 0, NULL}, {NULL, NULL, NULL, 0, NULL}};
  if (ex->tests[0].name != NULL)
    first[0] = ex->tests[0];
  one.tests = first;
  nng_exercise_result r;
  int status = nng_grade_exercise(cfg, &one, NULL, stub, &r);
  if (status != 0 || r.status != NNG_EX_GRADED) {
    snprintf(why, n, "its stub %s: %s%s%.1500s", stub, r.reason,
             r.compiler_output != NULL ? "\n" : "",
             r.compiler_output != NULL ? r.compiler_output : "");
    status = -1;
  } else if (r.n_tests > 0 && (r.tests[0].verdict == NNG_CRASHED
                               || r.tests[0].verdict == NNG_NOT_RUN)) {
    snprintf(why, n, "the probe of its stub %s did not run: %s", stub, r.tests[0].detail);
    status = -1;
  }
  nng_exercise_result_free(&r);
  return status;
}

/* Check every exercise of EXERCISES. 0, or -1 with a message printed. */
static int
preflight(const nng_config *cfg, const int *exercises, size_t n_ex)
{
  char why[4096];
  for (size_t k = 0; k < n_ex; k++) {
    const nng_exercise *ex = &nng_exercises[exercises[k]];
    if (preflight_exercise(cfg, ex, why, sizeof why) != 0) {
      fprintf(stderr, "%s: the grader cannot grade exercise %d: %s\n"
              "%s: this is the grader's setup, not the students' work: nothing was "
              "graded. Is nncourse built (grader/nngrade in its build folder) or "
              "installed (make install)?\n", program, ex->number, why, program);
      return -1;
    }
  }
  return 0;
}

/* Load the rubric and the hidden tests; 0, or -1 with a message printed. */
static int
load_setup(const nng_config *cfg, const char *hidden_dir, const char *rubric_path,
           const char *work, nng_hidden *hidden, nng_rubric *rubric)
{
  char why[8192];
  memset(hidden, 0, sizeof *hidden);
  nng_rubric_init(rubric);
  if (hidden_dir != NULL && nng_hidden_load(hidden, cfg, hidden_dir, work, why,
                                            sizeof why) != 0) {
    fprintf(stderr, "%s: %s\n", program, why);
    return -1;
  }
  if (rubric_path != NULL
      && (nng_rubric_load(rubric, rubric_path, why, sizeof why) != 0
          || nng_rubric_check(rubric, hidden->tests, why, sizeof why) != 0)) {
    fprintf(stderr, "%s: %s\n", program, why);
    nng_hidden_free(hidden);
    nng_rubric_free(rubric);
    return -1;
  }
  return 0;
}

int
nng_batch_run(const nng_config *cfg, const nng_batch_options *opt)
{
  int exercises[NNG_MAX_EXERCISES];
  size_t n_ex = 0;
  for (size_t e = 0; e < nng_n_exercises; e++)
    if (opt->only == 0 || nng_exercises[e].number == opt->only)
      exercises[n_ex++] = (int) e;
  if (n_ex == 0) {
    fprintf(stderr, "%s: there is no exercise %d\n", program, opt->only);
    return 2;
  }
  if (check_out_folder(opt->submissions, opt->out) != 0)
    return 2;
  size_t n_entries = 0;
  entry *e = find_entries(opt->submissions, &n_entries);
  if (e == NULL)
    return 2;
  roster ros;
  if (opt->roster != NULL && roster_load(&ros, opt->roster) != 0) {
    free(e);
    return 2;
  }
  char work[1500], state[1600], shown[1024];
  snprintf(work, sizeof work, "%s/.nngrade", opt->out);
  if (setup_outputs(opt->out) != 0 || check_case_clashes(e, n_entries, work) != 0) {
    if (opt->roster != NULL)
      roster_free(&ros);
    free(e);
    return 2;
  }
  /* Who is on the roster and who is not, said before the grading starts. */
  for (size_t i = 0; opt->roster != NULL && i < n_entries; i++) {
    roster_row *row = (roster_row *) roster_find(&ros, 0, e[i].name);
    if (row != NULL)
      row->submitted = 1;
    else
      fprintf(stderr, "%s: %s: a submission not on the roster %s (graded; its row "
              "says \"not on roster\")\n", program,
              nng_printable(e[i].name, shown, sizeof shown), opt->roster);
  }
  for (size_t i = 0; opt->roster != NULL && i < ros.n; i++)
    if (!ros.rows[i].submitted)
      fprintf(stderr, "%s: %s: on the roster, but no submission (0 points, "
              "\"missing\")\n", program,
              nng_printable(ros.rows[i].field[0], shown, sizeof shown));
  snprintf(work, sizeof work, "%s/.nngrade/hidden", opt->out);
  nng_hidden hidden;
  nng_rubric rubric;
  if (load_setup(cfg, opt->hidden_dir, opt->rubric, work, &hidden, &rubric) != 0) {
    if (opt->roster != NULL)
      roster_free(&ros);
    free(e);
    return 2;
  }
  /* The sandbox, chosen once before the workers. */
  nng_sandbox_kind sandbox = nng_sandbox_init();
  if (!opt->quiet || sandbox == NNG_SANDBOX_USER || sandbox == NNG_SANDBOX_NONE)
    fprintf(stderr, "%s: %s\n", program, nng_sandbox_describe());
  nng_sandbox_warn_readable(opt->hidden_dir, "the hidden tests");

  /* Who still needs grading. */
  size_t *todo = calloc(n_entries ? n_entries : 1, sizeof *todo), n_todo = 0;
  for (size_t i = 0; todo != NULL && i < n_entries; i++) {
    snprintf(state, sizeof state, "%s/.nngrade/state/%s.state", opt->out, e[i].file);
    if (opt->force || access(state, F_OK) != 0)
      todo[n_todo++] = i;
  }
  /* The grader itself must work before anyone gets a grade from it. */
  if (todo == NULL || (n_todo > 0 && preflight(cfg, exercises, n_ex) != 0)) {
    free(todo);
    nng_hidden_free(&hidden);
    nng_rubric_free(&rubric);
    if (opt->roster != NULL)
      roster_free(&ros);
    free(e);
    return 2;
  }
  int tty = isatty(2) && !opt->quiet;
  if (!opt->quiet && n_todo < n_entries)
    fprintf(stderr, "%s: %zu of %zu students already graded; grading the other %zu "
            "(--force grades everyone again)\n", program, n_entries - n_todo, n_entries,
            n_todo);

  /* The workers, opt->jobs at a time. */
  int failures = 0;
  double start = nng_now();
  size_t next = 0, running = 0, done = 0;
  pid_t *pids = calloc(n_entries ? n_entries : 1, sizeof *pids);
  while (todo != NULL && pids != NULL && (next < n_todo || running > 0)) {
    while (next < n_todo && running < (size_t) opt->jobs) {
      size_t i = todo[next];
      snprintf(state, sizeof state, "%s/.nngrade/state/%s.state", opt->out, e[i].file);
      fflush(stderr);
      pid_t pid = fork();
      if (pid == 0)
        _exit(grade_entry(cfg, &e[i], &hidden, opt->only, state));
      if (pid < 0) {
        fprintf(stderr, "%s: cannot start a worker: %s\n", program, strerror(errno));
        failures++;
        next = n_todo;
        break;
      }
      pids[i] = pid;
      next++;
      running++;
    }
    if (running == 0)
      break;
    int status;
    pid_t pid = wait(&status);
    if (pid < 0) {
      if (errno == EINTR)
        continue;
      break;
    }
    for (size_t k = 0; k < n_entries; k++) {
      if (pids[k] != pid)
        continue;
      running--;
      done++;
      pids[k] = 0;
      if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
        failures++;
        if (tty)
          fputc('\n', stderr);
        fprintf(stderr, "%s: %s: the grader failed (%s %d); rerun to retry\n", program,
                nng_printable(e[k].name, shown, sizeof shown),
                WIFSIGNALED(status) ? "signal" : "exit status",
                WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
      }
      if (!opt->quiet)
        progress(tty, done, n_todo, e[k].name, start);
      break;
    }
  }
  free(pids);
  free(todo);

  size_t ungraded = assemble(opt, e, n_entries, &rubric, &hidden, exercises, n_ex,
                             opt->roster != NULL ? &ros : NULL);
  if (!opt->quiet) {
    double minutes = (nng_now() - start) / 60.0;
    fprintf(stderr, "%s: %zu students in %s/grades.csv", program, n_entries, opt->out);
    if (done > 0 && minutes > 0)
      fprintf(stderr, " (%zu graded now, %.1f per minute)", done, done / minutes);
    fputc('\n', stderr);
  }
  nng_hidden_free(&hidden);
  nng_rubric_free(&rubric);
  if (opt->roster != NULL)
    roster_free(&ros);
  free(e);
  return ungraded > 0 || failures > 0 ? 1 : 0;
}

int
nng_check_run(const nng_config *cfg, const char *dir, int only, const char *hidden_dir,
              const char *rubric_path, nng_hidden_view view)
{
  const char *tmp = getenv("TMPDIR");
  char work[1024];
  snprintf(work, sizeof work, "%s/nngrade-check-XXXXXX",
           tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
  if (mkdtemp(work) == NULL) {
    fprintf(stderr, "%s: cannot create a scratch folder: %s\n", program, strerror(errno));
    return 2;
  }
  nng_hidden hidden;
  nng_rubric rubric;
  nng_student *s = calloc(1, sizeof *s);
  int status = 2;
  if (s == NULL) {
    fprintf(stderr, "%s: out of memory\n", program);
  } else if (load_setup(cfg, hidden_dir, rubric_path, work, &hidden, &rubric) == 0) {
    char path[1400];
    int grader_failed = 0;
    for (size_t e = 0; e < nng_n_exercises && s->n < NNG_MAX_EXERCISES; e++) {
      const nng_exercise *ex = &nng_exercises[e];
      if (only != 0 && ex->number != only)
        continue;
      char refused[512] = "";
      int found = nng_locate_source(dir, ex, path, sizeof path, refused, sizeof refused) == 1;
      if (!found && refused[0] == '\0' && only == 0)
        continue;  /* check what the student has written so far */
      nng_exercise_result *r = &s->res[s->n++];
      if (nng_grade_exercise(cfg, ex, hidden.tests[e], found ? path : NULL, r) != 0)
        grader_failed = 1;
      if (refused[0] != '\0')  /* a link that leads out of the folder */
        snprintf(r->reason, sizeof r->reason, "%s", refused);
    }
    if (s->n == 0) {
      char shown[1024];
      fprintf(stderr, "%s: no exercise found in %s (looked for exerciseN.c and "
              "exNN/exerciseN.c)\n", program, nng_printable(dir, shown, sizeof shown));
    } else {
      nng_rubric_apply(&rubric, s);
      nng_report_write(stdout, NULL, s->res, s->n, view, 0, 1.0);
      int full = 1;
      for (size_t i = 0; i < s->n; i++)
        if (s->res[i].score < s->res[i].max_score)
          full = 0;
      status = full ? 0 : 1;
      if (grader_failed) {
        fprintf(stderr, "%s: the grader could not finish its work (see above)\n",
                program);
        status = 2;
      }
    }
    nng_student_free(s);
    nng_hidden_free(&hidden);
    nng_rubric_free(&rubric);
  }
  free(s);
  nftw(work, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
  return status;
}

int
nng_gradescope_run(const nng_config *cfg, const char *submission, const char *results,
                   const char *hidden_dir, const char *rubric_path, nng_hidden_view view)
{
  char work[] = "/tmp/nngrade-gradescope-XXXXXX";
  if (mkdtemp(work) == NULL) {
    fprintf(stderr, "%s: cannot create a scratch folder: %s\n", program, strerror(errno));
    return 2;
  }
  nng_hidden hidden;
  nng_rubric rubric;
  int status = 2;
  if (load_setup(cfg, hidden_dir, rubric_path, work, &hidden, &rubric) == 0) {
    nng_student s;
    memset(&s, 0, sizeof s);
    char root[1400];  /* a submission of one folder: the folder */
    nng_submission_root(submission, root, sizeof root);
    out_file o;
    if (grade_folder(cfg, root, &hidden, 0, &s, NULL) != 0) {
      /* the grader's fault: no results, so that Gradescope reports a failed
       * autograder (which can be rerun) instead of a zero */
      char why[1024];
      for (size_t e = 0; e < s.n; e++)
        if (s.res[e].status == NNG_EX_GRADER_ERROR)
          fprintf(stderr, "%s: exercise %d: %s\n", program, s.res[e].exercise->number,
                  nng_printable(s.res[e].reason, why, sizeof why));
    } else {
      nng_rubric_apply(&rubric, &s);
      if (out_open(&o, results) != NULL) {
        nng_results_json(o.f, s.res, s.n, view, 0, 1.0);
        status = out_close(&o) == 0 ? 0 : 2;
      }
    }
    nng_student_free(&s);
    nng_hidden_free(&hidden);
    nng_rubric_free(&rubric);
  }
  nftw(work, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
  return status;
}
