/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lectures/lesson.c: the runtime every lecture shares (see lesson.h). */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <gsl/gsl_errno.h>

#include "lesson.h"

/* What lesson_figure.files holds: one bit per file written. */
enum {
  FILE_GP = 1, FILE_DAT = 2, FILE_SVG = 4, FILE_PNG = 8, FILE_DOT = 16
};

struct lesson_figure {
  char *name;          /* file stem: NAME.gp, NAME.dot, ... (owned) */
  const void *handle;  /* the nn_plot or nn_graph it was made as; NULL once
                          that object may have been freed and reused */
  int is_graph;        /* 1: Graphviz, 0: gnuplot */
  unsigned files;      /* FILE_* bits of the files written */
};

/* The size of a figure printed as text: fits an 80-column terminal. */
#define ASCII_COLS 78
#define ASCII_ROWS 24

/* Terminal attributes, used only when L->color is 1. */
#define ATTR_BOLD "\033[1m"
#define ATTR_HEADING "\033[1;4m"
#define ATTR_CODE "\033[36m"
#define ATTR_ITALIC "\033[3m"
#define ATTR_OFF "\033[0m"

/* ===== Errors =====
 *
 * GSL calls one global handler for every GSL_ERROR. Programs own that
 * handler: a lecture prints the message and stops, with status 1. The
 * handler receives no user pointer, so the running lesson is kept here
 * (which also keeps its memory reachable when an error ends the program). */

static lesson *running;

static void
lesson_gsl_error(const char *reason, const char *file, int line, int gsl_errno)
{
  (void) gsl_errno;
  fflush(stdout);
  fprintf(stderr, "%s: error: %s (%s:%d)\n", running ? running->name : "lecture",
          reason, file, line);
  exit(EXIT_FAILURE);
}

static void __attribute__((noreturn))
die(const lesson *L, int status, const char *fmt, va_list ap)
{
  fflush(stdout);
  fprintf(stderr, "%s: error: ", L->name);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  if (status == 2)
    fprintf(stderr, "Try '%s --help' for the options.\n", L->name);
  exit(status);
}

void
lesson_usage_error(const lesson *L, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  die(L, 2, fmt, ap);
}

void
lesson_missing(const lesson *L, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  die(L, LESSON_EXIT_MISSING, fmt, ap);
}

static void __attribute__((noreturn, format(printf, 3, 4)))
fail(const lesson *L, int status, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  die(L, status, fmt, ap);
}

/* malloc that cannot return NULL: a lecture that runs out of memory stops. */
static void *
xmalloc(const lesson *L, size_t n)
{
  void *p = malloc(n > 0 ? n : 1);
  if (p == NULL)
    fail(L, 1, "out of memory (%zu bytes)", n);
  return p;
}

static char *
xstrdup(const lesson *L, const char *s)
{
  size_t n = strlen(s) + 1;
  return memcpy(xmalloc(L, n), s, n);
}

/* ===== Output =====
 *
 * All printing goes through emit(), which counts the newlines the output ends
 * with, so that blocks of prose, tables and plots can be separated by one
 * empty line, never two. */

/* 1 when what is printed now is shown: the whole lesson, or the section
 * asked for by --section. */
static int
visible(const lesson *L)
{
  return L->section == -1 || L->section == L->section_now;
}

static void
emit(lesson *L, const char *s, size_t n)
{
  if (n == 0 || !visible(L))
    return;
  fwrite(s, 1, n, L->out);
  size_t t = 0;  /* trailing newlines of s, up to 2 */
  while (t < n && t < 2 && s[n - 1 - t] == '\n')
    t++;
  if (t == n)
    L->newlines = L->newlines + (int) t > 2 ? 2 : L->newlines + (int) t;
  else
    L->newlines = (int) t;
}

static void
emit_str(lesson *L, const char *s)
{
  emit(L, s, strlen(s));
}

/* Make the output end with an empty line (unless nothing was printed yet). */
static void
separate(lesson *L)
{
  while (visible(L) && L->newlines < 2)
    emit(L, "\n", 1);
}

static void
vprint(lesson *L, const char *fmt, va_list ap)
{
  char *text = NULL;
  int n = vasprintf(&text, fmt, ap);
  if (n < 0)
    fail(L, 1, "out of memory while printing");
  emit(L, text, (size_t) n);
  free(text);
}

void
lesson_printf(lesson *L, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vprint(L, fmt, ap);
  va_end(ap);
}

/* The next buffer of the ring lesson_num() and lesson_pad() share. */
static char *
ring_buffer(lesson *L)
{
  return L->ring[L->ring_next++ % (sizeof L->ring / sizeof L->ring[0])];
}

const char *
lesson_numf(lesson *L, double x, int digits)
{
  char *buf = ring_buffer(L);
  digits = digits < 1 ? 1 : digits > 17 ? 17 : digits;
  if (x == 0.0)
    x = 0.0;  /* -0 and +0 are the same number: print "0" */
  snprintf(buf, sizeof L->ring[0], "%.*g", digits, x);
  return buf;
}

const char *
lesson_num(lesson *L, double x)
{
  return lesson_numf(L, x, 6);
}

/* Terminal columns of UTF-8 text: one per character, that is, per byte
 * that does not continue a multi-byte character (10xxxxxx). */
static int
columns(const char *s)
{
  int n = 0;
  for (; *s != '\0'; s++)
    n += ((unsigned char) *s & 0xC0) != 0x80;
  return n;
}

const char *
lesson_pad(lesson *L, const char *text, int width)
{
  char *buf = ring_buffer(L);
  int pad = width - columns(text);
  snprintf(buf, sizeof L->ring[0], "%s%*s", text, pad > 0 ? pad : 0, "");
  return buf;
}

void
lesson_vector(lesson *L, const char *name, const gsl_vector *v)
{
  lesson_printf(L, "%s = (", name);
  for (size_t i = 0; i < v->size; i++)
    lesson_printf(L, "%s%s", i ? ", " : "", lesson_num(L, gsl_vector_get(v, i)));
  lesson_printf(L, ")\n");
}

void
lesson_matrix(lesson *L, const char *name, const gsl_matrix *M)
{
  int width = 1;  /* the widest entry sets every column's width */
  for (size_t i = 0; i < M->size1; i++)
    for (size_t j = 0; j < M->size2; j++) {
      int w = (int) strlen(lesson_num(L, gsl_matrix_get(M, i, j)));
      width = w > width ? w : width;
    }
  lesson_printf(L, "%s =\n", name);
  for (size_t i = 0; i < M->size1; i++) {
    lesson_printf(L, "  [");
    for (size_t j = 0; j < M->size2; j++)
      lesson_printf(L, " %*s", width, lesson_num(L, gsl_matrix_get(M, i, j)));
    lesson_printf(L, " ]\n");
  }
}

/* ===== Markdown, lightly =====
 *
 * A terminal shows headings bold and underlined, **strong** in bold,
 * *emphasis* in italics and `code` in colour; everything else, and
 * everything when colour is off, is printed as written, so the prose stays
 * readable as plain Markdown. */

/* Inline markup: the text between two markers MARK at the start of S,
 * rendered with ATTR; returns the bytes used, 0 when S does not open a span.
 * As in Markdown, a span opens on a marker that is not glued to a word
 * before it (PREV) and is followed by a non-blank, and closes on a marker
 * after a non-blank; * and ** do not mistake each other's markers. S is a
 * whole paragraph, so a span may continue on the next line. */
static size_t
render_span(lesson *L, const char *s, size_t n, char prev, const char *mark,
            const char *attr)
{
  size_t m = strlen(mark);
  int star = mark[0] == '*';
  if (n < 2 * m + 1 || strncmp(s, mark, m) != 0 || s[m] == ' ' || s[m] == '\n'
      || (star && (s[m] == '*' || isalnum((unsigned char) prev))))
    return 0;
  for (size_t k = m + 1; k + m <= n; k++) {
    if (strncmp(s + k, mark, m) != 0)
      continue;
    if (s[k - 1] == ' ' || s[k - 1] == '\n')
      continue;  /* "x * y": not a closing marker */
    if (star && ((k + m < n && s[k + m] == '*') || s[k - 1] == '*')) {
      k += strspn(s + k, "*") - 1;  /* part of the other kind of marker */
      continue;
    }
    emit_str(L, attr);
    emit(L, s + m, k - m);
    emit_str(L, ATTR_OFF);
    return k + m;
  }
  return 0;
}

/* A paragraph (one line or several, with their '\n'), spans rendered. */
static void
render_paragraph(lesson *L, const char *text, size_t n)
{
  for (size_t k = 0; k < n;) {
    char prev = k > 0 ? text[k - 1] : ' ';
    size_t used = render_span(L, text + k, n - k, prev, "**", ATTR_BOLD);
    if (used == 0)
      used = render_span(L, text + k, n - k, prev, "*", ATTR_ITALIC);
    if (used == 0)
      used = render_span(L, text + k, n - k, prev, "`", ATTR_CODE);
    if (used == 0) {
      emit(L, text + k, 1);
      used = 1;
    }
    k += used;
  }
}

/* A heading starts a section (see lesson.h); with --sections its title is
 * kept for the list. */
static void
begin_section(lesson *L, int level, const char *title, size_t n)
{
  if (level > 2)
    return;
  if (L->headings++ > 0)
    L->section_now++;
  if (L->section != -2)
    return;
  size_t k = (size_t) L->section_now;
  if (k >= L->cap_titles) {
    size_t cap = L->cap_titles ? 2 * L->cap_titles : 16;
    while (cap <= k)
      cap *= 2;
    char (*t)[80] = realloc(L->section_titles, cap * sizeof *t);
    if (t == NULL)
      fail(L, 1, "out of memory");
    memset(t + L->cap_titles, 0, (cap - L->cap_titles) * sizeof *t);
    L->section_titles = t;
    L->cap_titles = cap;
  }
  snprintf(L->section_titles[k], sizeof L->section_titles[k], "%.*s",
           (int) (n < 79 ? n : 79), title);
}

/* A line of 4 blanks or a tab at its start is code: printed as written. */
static int
code_line(const char *line, size_t n)
{
  return (n >= 4 && strncmp(line, "    ", 4) == 0) || (n > 0 && line[0] == '\t');
}

/* Print a block of Markdown; with headings_only, just its heading lines.
 * The lines of a paragraph (up to a blank line, a heading or a code line)
 * are rendered together, so that a span may cross a line break. */
static void
render_markdown(lesson *L, const char *text, int headings_only)
{
  int printed = 0;
  const char *para = NULL;  /* the paragraph not rendered yet */
  size_t para_n = 0;
  for (const char *line = text;; ) {
    const char *end = strchr(line, '\n');
    size_t n = end ? (size_t) (end - line) : strlen(line);
    int level = *line != '\0' ? lesson_heading_level(line, n) : 0;
    int plain = *line != '\0' && level == 0 && n > 0 && !code_line(line, n)
                && L->color && !headings_only;
    if (para != NULL && !plain) {  /* the paragraph ends above this line */
      render_paragraph(L, para, para_n);
      emit(L, "\n", 1);
      para = NULL;
    }
    if (*line == '\0')
      break;
    if (!headings_only || level > 0) {
      if (level > 0)
        begin_section(L, level, line + level + 1, n - (size_t) level - 1);
      if (!printed || (headings_only && level > 0))
        separate(L);
      printed = 1;
      if (plain) {
        if (para == NULL)
          para = line;
        para_n = (size_t) (line + n - para);
      } else if (L->color && level > 0) {
        emit_str(L, level <= 2 ? ATTR_HEADING : ATTR_BOLD);
        emit(L, line + level + 1, n - (size_t) level - 1);
        emit_str(L, ATTR_OFF);
        emit(L, "\n", 1);
      } else {
        emit(L, line, n);
        emit(L, "\n", 1);
      }
    }
    if (end == NULL)
      break;
    line = end + 1;
  }
  if (printed)
    separate(L);
}

void
lesson_prose(lesson *L, int line)
{
  if (L->blocks == NULL)
    return;
  for (; L->blocks[L->next_block].text != NULL
         && L->blocks[L->next_block].end_line < line;
       L->next_block++)
    render_markdown(L, L->blocks[L->next_block].text, !L->prose);
}

void
lesson_heading(lesson *L, int level, const char *fmt, ...)
{
  char *title = NULL;
  va_list ap;
  va_start(ap, fmt);
  int n = vasprintf(&title, fmt, ap);
  va_end(ap);
  if (n < 0)
    fail(L, 1, "out of memory while printing");
  level = level < 1 ? 1 : level > 3 ? 3 : level;
  char *md = NULL;
  if (asprintf(&md, "%.*s %s\n", level, "###", title) < 0)
    fail(L, 1, "out of memory while printing");
  render_markdown(L, md, 0);
  free(md);
  free(title);
}

/* ===== Options ===== */

/* The options every lecture has, after the lecture's own. */
enum { OPT_HELP = 1000, OPT_SEED, OPT_OUT, OPT_NO_PROSE, OPT_QUIET, OPT_REVEAL,
       OPT_VERSION, OPT_SECTION, OPT_SECTIONS, OPT_NO_FIGURES };

/* "sin|exp": the index of WORD among the choices, or -1. */
static int
choice_index(const char *choices, const char *word)
{
  size_t len = strlen(word);
  int index = 0;
  for (const char *c = choices; *c != '\0'; index++) {
    size_t n = strcspn(c, "|");
    if (n == len && strncmp(c, word, n) == 0)
      return index;
    c += n + (c[n] == '|');
  }
  return -1;
}

/* The INDEX-th word of the choices, copied into buf. */
static const char *
choice_word(const char *choices, int index, char *buf, size_t size)
{
  const char *c = choices;
  for (int i = 0; i < index && *c != '\0'; i++)
    c += strcspn(c, "|") + (c[strcspn(c, "|")] == '|');
  snprintf(buf, size, "%.*s", (int) strcspn(c, "|"), c);
  return buf;
}

/* The metavariable --help shows after the option's name. */
static const char *
metavar(const lesson_option *o)
{
  switch (o->type) {
  case LESSON_DOUBLE: return "X";
  case LESSON_INT: return "N";
  case LESSON_STRING: return "TEXT";
  case LESSON_CHOICE: return o->choices;
  case LESSON_FLAG: return "";
  }
  return "";
}

/* The default of an option, as text for --help. */
static const char *
default_text(const lesson_option *o, char *buf, size_t size)
{
  switch (o->type) {
  case LESSON_DOUBLE:
    snprintf(buf, size, "%.15g", *(const double *) o->value);
    break;
  case LESSON_INT:
    snprintf(buf, size, "%d", *(const int *) o->value);
    break;
  case LESSON_STRING: {
    const char *s = *(const char *const *) o->value;
    snprintf(buf, size, "%s", s ? s : "none");
    break;
  }
  case LESSON_CHOICE:
    choice_word(o->choices, *(const int *) o->value, buf, size);
    break;
  case LESSON_FLAG:
    snprintf(buf, size, "%s", *(const int *) o->value ? "on" : "off");
    break;
  }
  return buf;
}

/* In help text, a space that does not break a line: "(default 1)" and
 * "[1, 9]" stay in one piece. */
#define NOBREAK "\x1f"

/* One option of --help: the option in a column of 24, then its help and
 * default, wrapped at word boundaries to fit 79 columns. */
static void
help_line(const char *name, const char *var, const char *help, const char *dflt)
{
  enum { INDENT = 25, WIDTH = 79 };
  char left[256], text[512];  /* a choice lists every word it takes */
  snprintf(left, sizeof left, "--%s%s%s", name, *var ? " " : "", var);
  snprintf(text, sizeof text, "%s%s%s%s", help, dflt ? " (default" NOBREAK : "",
           dflt ? dflt : "", dflt ? ")" : "");
  printf("  %-22s ", left);
  int col = INDENT;
  if ((int) strlen(left) > 22) {
    printf("\n%*s", INDENT, "");
  }
  for (const char *w = text; *w != '\0';) {
    size_t len = strcspn(w, " ");
    if (col > INDENT && col + 1 + (int) len > WIDTH) {
      printf("\n%*s", INDENT, "");
      col = INDENT;
    } else if (col > INDENT) {
      putchar(' ');
      col++;
    }
    for (size_t k = 0; k < len; k++)
      putchar(w[k] == NOBREAK[0] ? ' ' : w[k]);
    col += (int) len;
    w += len;
    while (*w == ' ')
      w++;
  }
  putchar('\n');
}

static void __attribute__((noreturn))
print_help(lesson *L, const lesson_info *info)
{
  char buf[64];
  printf("Usage: %s [OPTION]...\n"
         "Lecture %d: %s.\n"
         "Prints the lesson and writes its figures (gnuplot .gp/.dat/.svg/.png,\n"
         "Graphviz .dot/.svg) into the output folder.\n",
         L->name, info->number, info->title);
  if (info->options != NULL && info->options[0].name != NULL) {
    printf("\nOptions of this lecture:\n");
    for (const lesson_option *o = info->options; o->name != NULL; o++) {
      char help[256];
      if ((o->type == LESSON_DOUBLE || o->type == LESSON_INT) && o->min < o->max)
        snprintf(help, sizeof help, "%s, in [%.15g," NOBREAK "%.15g]", o->help, o->min,
                 o->max);
      else
        snprintf(help, sizeof help, "%s", o->help);
      help_line(o->name, metavar(o), help,
                o->type == LESSON_FLAG ? NULL : default_text(o, buf, sizeof buf));
    }
  }
  printf("\nOptions of every lecture:\n");
  snprintf(buf, sizeof buf, "%lu", LESSON_DEFAULT_SEED);
  help_line("seed", "N", "seed of the random generator: same seed, same lesson", buf);
  snprintf(buf, sizeof buf, "out/lecture%d", info->number);
  help_line("out", "DIR", "folder for the figures, created if missing", buf);
  help_line("no-prose", "", "print headings, numbers and plots, not the prose", NULL);
  help_line("quiet", "", "print nothing (errors aside); still write the figures", NULL);
  help_line("reveal", "", "show the answers of the code challenges", NULL);
  help_line("section", "N", "print only section N of the lesson (0 is the"
            " introduction); the whole lesson still runs and draws its figures", NULL);
  help_line("sections", "", "list the sections by number (same as --section"
            " list)", NULL);
  help_line("no-figures", "", "write the figures' scripts and data but draw"
            " nothing (quicker)", NULL);
  help_line("version", "", "print the version and exit", NULL);
  help_line("help", "", "print this help and exit", NULL);
  printf("\nEnvironment: NO_COLOR (or TERM=dumb) turns terminal attributes off;\n"
         "NN_GNUPLOT and NN_DOT name the gnuplot and dot programs to run.\n");
  fflush(stdout);
  gsl_rng_free(L->rng);
  free(L);
  running = NULL;
  exit(ferror(stdout) ? EXIT_FAILURE : EXIT_SUCCESS);
}

/* Parse ARG as the value of option O, or exit 2 naming both. */
static void
set_option(lesson *L, const lesson_option *o, const char *arg)
{
  char *end = NULL;
  errno = 0;
  switch (o->type) {
  case LESSON_DOUBLE: {
    double v = strtod(arg, &end);
    if (end == arg || *end != '\0' || errno == ERANGE || !isfinite(v))
      fail(L, 2, "invalid value '%s' for --%s: expected a number", arg, o->name);
    if (o->min < o->max && (v < o->min || v > o->max))
      fail(L, 2, "invalid value '%s' for --%s: must be between %.15g and %.15g",
           arg, o->name, o->min, o->max);
    *(double *) o->value = v;
    break;
  }
  case LESSON_INT: {
    long v = strtol(arg, &end, 10);
    if (end == arg || *end != '\0' || errno == ERANGE || v < INT_MIN || v > INT_MAX)
      fail(L, 2, "invalid value '%s' for --%s: expected a whole number", arg, o->name);
    if (o->min < o->max && (v < o->min || v > o->max))
      fail(L, 2, "invalid value '%s' for --%s: must be between %.15g and %.15g",
           arg, o->name, o->min, o->max);
    *(int *) o->value = (int) v;
    break;
  }
  case LESSON_STRING:
    *(const char **) o->value = arg;
    break;
  case LESSON_CHOICE: {
    int k = choice_index(o->choices, arg);
    if (k < 0)
      fail(L, 2, "invalid value '%s' for --%s: choose one of %s", arg, o->name,
           o->choices);
    *(int *) o->value = k;
    break;
  }
  case LESSON_FLAG:
    *(int *) o->value = 1;
    break;
  }
}

static void
parse_options(lesson *L, const lesson_info *info, int argc, char **argv,
              const char **out_dir, int *quiet)
{
  size_t n = 0;
  if (info->options != NULL)
    while (info->options[n].name != NULL)
      n++;
  static const struct option common[] = {
    {"help", no_argument, NULL, OPT_HELP},
    {"seed", required_argument, NULL, OPT_SEED},
    {"out", required_argument, NULL, OPT_OUT},
    {"no-prose", no_argument, NULL, OPT_NO_PROSE},
    {"quiet", no_argument, NULL, OPT_QUIET},
    {"reveal", no_argument, NULL, OPT_REVEAL},
    {"version", no_argument, NULL, OPT_VERSION},
    {"section", required_argument, NULL, OPT_SECTION},
    {"sections", no_argument, NULL, OPT_SECTIONS},
    {"no-figures", no_argument, NULL, OPT_NO_FIGURES},
  };
  const size_t n_common = sizeof common / sizeof common[0];
  /* getopt_long's table: the lecture's options (val = their index), then the
   * common ones, then the zero entry that ends it. */
  struct option table[n + n_common + 1];
  for (size_t i = 0; i < n; i++)
    table[i] = (struct option) {
      info->options[i].name,
      info->options[i].type == LESSON_FLAG ? no_argument : required_argument,
      NULL, (int) i};
  memcpy(table + n, common, sizeof common);
  table[n + n_common] = (struct option) {0};

  opterr = 0;  /* the messages below name the lecture and the option */
  int help = 0, version = 0, c;
  while ((c = getopt_long(argc, argv, ":h", table, NULL)) != -1) {
    /* the option as written: a long one is argv[optind - 1] */
    char short_opt[3] = {'-', (char) optopt, '\0'};
    const char *given = (optind > 1 && strncmp(argv[optind - 1], "--", 2) == 0)
                          ? argv[optind - 1] : short_opt;
    if (c >= 0 && (size_t) c < n) {
      set_option(L, &info->options[c], optarg);
      if (!lesson_given(L, info->options[c].value)
          && L->n_given < sizeof L->given / sizeof L->given[0])
        L->given[L->n_given++] = info->options[c].value;
    } else if (c == OPT_HELP || c == 'h') {
      help = 1;
    } else if (c == OPT_SEED) {
      char *end = NULL;
      errno = 0;
      unsigned long v = strtoul(optarg, &end, 10);
      if (optarg[0] == '-' || end == optarg || *end != '\0' || errno == ERANGE)
        fail(L, 2, "invalid value '%s' for --seed: expected a whole number >= 0",
             optarg);
      L->seed = v;
    } else if (c == OPT_OUT) {
      if (optarg[0] == '\0')
        fail(L, 2, "invalid value '' for --out: expected a folder");
      *out_dir = optarg;
    } else if (c == OPT_NO_PROSE) {
      L->prose = 0;
    } else if (c == OPT_QUIET) {
      *quiet = 1;
    } else if (c == OPT_REVEAL) {
      L->reveal = 1;
    } else if (c == OPT_VERSION) {
      version = 1;
    } else if (c == OPT_SECTION || c == OPT_SECTIONS) {
      char *end = NULL;
      errno = 0;
      long v = c == OPT_SECTIONS || strcmp(optarg, "list") == 0 ? -2
               : strtol(optarg, &end, 10);
      if (v != -2 && (end == optarg || *end != '\0' || errno == ERANGE || v < 0
                      || v > INT_MAX))
        fail(L, 2, "invalid value '%s' for --section: expected a section number"
             " >= 0, or list", optarg);
      L->section = (int) v;
    } else if (c == OPT_NO_FIGURES) {
      L->draw = 0;
    } else if (c == ':') {
      fail(L, 2, "option '%s' needs a value", given);
    } else {
      fail(L, 2, "unknown option '%s'", given);
    }
  }
  if (optind < argc)
    fail(L, 2, "unexpected argument '%s' (options start with --)", argv[optind]);
  if (help)
    print_help(L, info);
  if (version) {
    printf("%s (%s) %s\n", L->name, PACKAGE_NAME, PACKAGE_VERSION);
    fflush(stdout);
    gsl_rng_free(L->rng);
    free(L);
    running = NULL;
    exit(ferror(stdout) ? EXIT_FAILURE : EXIT_SUCCESS);
  }
}

/* ===== The output folder ===== */

/* mkdir -p PATH. On failure returns -1 with errno set and PATH cut short
 * after the folder that could not be made; on success PATH is unchanged. */
static int
make_folders(char *path)
{
  size_t len = strlen(path);
  for (size_t k = 1; k <= len; k++) {
    if (path[k] != '/' && path[k] != '\0')
      continue;
    char keep = path[k];
    path[k] = '\0';  /* path is now one prefix: a, a/b, a/b/c */
    struct stat st;
    if (mkdir(path, 0777) != 0) {
      int e = errno;
      if (e != EEXIST || stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
        errno = (e == EEXIST) ? ENOTDIR : e;
        return -1;
      }
    }
    path[k] = keep;
  }
  return access(path, W_OK | X_OK) == 0 ? 0 : -1;
}

/* OpenBLAS, when GSL calls it, shares every product out among threads, one
 * per core. A lesson's matrices are small: the threads mostly wait for one
 * another, and on a machine the class shares they slow the lesson down. One
 * thread, then, unless the user set OPENBLAS_NUM_THREADS. The symbol is weak:
 * built on GSL's own CBLAS, there is nothing to set. */
extern void openblas_set_num_threads(int threads) __attribute__((weak));

static void
one_blas_thread(void)
{
  if (openblas_set_num_threads != NULL && getenv("OPENBLAS_NUM_THREADS") == NULL)
    openblas_set_num_threads(1);
}

int
lesson_given(const lesson *L, const void *value)
{
  for (size_t i = 0; i < L->n_given; i++)
    if (L->given[i] == value)
      return 1;
  return 0;
}

lesson *
lesson_begin(int argc, char **argv, const lesson_info *info)
{
  lesson *L = calloc(1, sizeof *L);
  if (L == NULL) {
    fprintf(stderr, "lecture%d: error: out of memory\n", info->number);
    exit(EXIT_FAILURE);
  }
  snprintf(L->program, sizeof L->program, "lecture%d", info->number);
  running = L;
  gsl_set_error_handler(lesson_gsl_error);
  one_blas_thread();
  L->name = L->program;
  L->title = info->title;
  L->number = info->number;
  L->seed = LESSON_DEFAULT_SEED;
  L->prose = 1;
  L->draw = 1;
  L->section = -1;
  L->gnuplot = L->dot = -1;
  L->rng = gsl_rng_alloc(gsl_rng_mt19937);  /* not gsl_rng_env_setup: the
                                               environment must not change a lesson */

  char default_out[32];
  snprintf(default_out, sizeof default_out, "out/lecture%d", info->number);
  const char *out_dir = default_out;
  int quiet = 0;
  parse_options(L, info, argc, argv, &out_dir, &quiet);
  gsl_rng_set(L->rng, L->seed);

  L->out_dir = L->out_dir_owned = xstrdup(L, out_dir);
  if (make_folders(L->out_dir_owned) != 0) {
    const char *where = L->out_dir_owned;  /* the part that failed */
    if (strcmp(where, out_dir) == 0)
      fail(L, 1, "cannot create the output folder '%s': %s", out_dir, strerror(errno));
    fail(L, 1, "cannot create the output folder '%s': '%s': %s", out_dir, where,
         strerror(errno));
  }

  L->out = stdout;
  if (quiet && (L->out = fopen("/dev/null", "w")) == NULL)
    fail(L, 1, "cannot open /dev/null: %s", strerror(errno));
  if (L->section == -2)
    L->draw = 0;  /* a list of sections needs no pictures */
  const char *no_color = getenv("NO_COLOR"), *term = getenv("TERM");
  L->color = !quiet && L->section != -2 && isatty(STDOUT_FILENO)
             && (no_color == NULL || no_color[0] == '\0')
             && (term == NULL || strcmp(term, "dumb") != 0);
  L->blocks = info->prose ? info->prose->blocks : NULL;
  L->newlines = 2;  /* nothing printed yet: no separation needed */
  return L;
}

/* ===== Figures ===== */

static lesson_figure *
add_figure(lesson *L, const char *name, const void *handle, int is_graph)
{
  for (size_t i = 0; i < L->n_figures; i++)  /* a freed object's address may */
    if (L->figures[i].handle == handle)      /* come back: forget the old one */
      L->figures[i].handle = NULL;
  if (L->n_figures == L->cap_figures) {
    size_t cap = L->cap_figures ? 2 * L->cap_figures : 8;
    lesson_figure *f = realloc(L->figures, cap * sizeof *f);
    if (f == NULL)
      fail(L, 1, "out of memory");
    L->figures = f;
    L->cap_figures = cap;
  }
  lesson_figure *f = &L->figures[L->n_figures++];
  *f = (lesson_figure) {xstrdup(L, name), handle, is_graph, 0};
  return f;
}

static lesson_figure *
find_figure(lesson *L, const void *handle)
{
  for (size_t i = L->n_figures; i-- > 0;)
    if (L->figures[i].handle == handle)
      return &L->figures[i];
  return NULL;
}

nn_plot *
lesson_plot(lesson *L, const char *name)
{
  nn_plot *p = nn_plot_alloc(L->out_dir, name);
  if (p == NULL)
    return NULL;
  add_figure(L, name, p, 0);
  /* In the lesson the figure is 78 characters wide: there the key goes below
   * the plot, which keeps the whole width (`set key` alone changes nothing:
   * SVG and PNG keep the house style). The lecture's own settings follow. */
  nn_plot_set(p, "key; if (GPVAL_TERM eq 'dumb') set key below");
  return p;
}

nn_graph *
lesson_graph(lesson *L, const char *name)
{
  nn_graph *g = nn_graph_alloc(name);
  if (g != NULL)
    add_figure(L, name, g, 1);
  return g;
}

/* Can the program be run? Asked once; when it cannot, say so once. */
static int
have_program(lesson *L, int is_graph)
{
  if (!L->draw)
    return 0;
  int *known = is_graph ? &L->dot : &L->gnuplot;
  if (*known < 0) {
    *known = is_graph ? nn_graph_dot_available() : nn_plot_gnuplot_available();
    if (!*known) {
      fflush(L->out);
      if (is_graph)
        fprintf(stderr, "%s: note: dot (Graphviz) cannot be run, so graphs are "
                "written as .dot\n  files but not drawn; install the Debian package "
                "graphviz to draw them.\n", L->name);
      else
        fprintf(stderr, "%s: note: gnuplot cannot be run, so figures are written "
                "as scripts\n  (.gp + .dat) but not drawn; install the Debian "
                "package gnuplot-nox\n  to draw them.\n", L->name);
    }
  }
  return *known;
}

int
lesson_save_plot(lesson *L, nn_plot *p)
{
  lesson_figure *f = find_figure(L, p);
  if (f == NULL) {  /* made with nn_plot_alloc: its name is in its path */
    const char *gp = nn_plot_path(p, "gp");
    const char *base = strrchr(gp, '/') ? strrchr(gp, '/') + 1 : gp;
    size_t stem = strlen(base) > 3 ? strlen(base) - 3 : strlen(base);  /* no ".gp" */
    char name[256];
    snprintf(name, sizeof name, "%.*s", (int) stem, base);
    f = add_figure(L, name, p, 0);
  }
  int status = nn_plot_write(p);
  if (status != GSL_SUCCESS)
    return status;
  f->files |= FILE_GP | FILE_DAT;
  if (!have_program(L, 0))
    return GSL_SUCCESS;
  if (L->plots == NULL && (L->plots = nn_plot_session_alloc()) == NULL)
    return GSL_ENOMEM;
  if ((status = nn_plot_session_render(L->plots, p, "svg")) == GSL_SUCCESS)
    f->files |= FILE_SVG;
  if (status == GSL_SUCCESS
      && (status = nn_plot_session_render(L->plots, p, "png")) == GSL_SUCCESS)
    f->files |= FILE_PNG;
  return status;
}

int
lesson_show_plot(lesson *L, nn_plot *p)
{
  int status = lesson_save_plot(L, p);
  if (status != GSL_SUCCESS)
    return status;
  if (!visible(L))
    return GSL_SUCCESS;  /* another section: the files are enough */
  separate(L);
  if (!L->draw) {
    lesson_printf(L, "[The figure is not drawn here (--no-figures). Its script is\n"
                  " %s.]\n", nn_plot_path(p, "gp"));
    separate(L);
    return GSL_SUCCESS;
  }
  if (!have_program(L, 0)) {
    lesson_printf(L, "[The figure is not drawn here: gnuplot is missing "
                  "(Debian package\n gnuplot-nox). Its script is %s.]\n",
                  nn_plot_path(p, "gp"));
    separate(L);
    return GSL_SUCCESS;
  }
  char *text = NULL;
  status = nn_plot_session_ascii(L->plots, p, ASCII_COLS, ASCII_ROWS, &text);
  if (status != GSL_SUCCESS)
    return status;
  /* The dumb terminal starts a page with a form feed and pads with empty
   * lines: print only the lines that hold the figure. */
  const char *start = text;
  for (const char *s = text; *s == '\f' || *s == '\n' || *s == ' ' || *s == '\r'; s++)
    if (*s == '\n')
      start = s + 1;
  if (*start == '\f')
    start++;
  size_t n = strlen(start);
  while (n > 0 && (start[n - 1] == '\n' || start[n - 1] == ' ' || start[n - 1] == '\r'))
    n--;
  emit(L, start, n);
  emit(L, "\n", 1);
  separate(L);
  free(text);
  return GSL_SUCCESS;
}

int
lesson_show_heat(lesson *L, const char *title, const gsl_vector *x,
                 const gsl_vector *y, const gsl_matrix *z)
{
  char *text = NULL;
  int status = nn_plot_shade_ascii(x, y, z, ASCII_COLS - 4, 20, &text);
  if (status != GSL_SUCCESS)
    return status;
  separate(L);
  if (title != NULL && title[0] != '\0')
    lesson_printf(L, "%s\n", title);
  emit_str(L, text);
  separate(L);
  free(text);
  return GSL_SUCCESS;
}

int
lesson_show_graph(lesson *L, nn_graph *g)
{
  lesson_figure *f = find_figure(L, g);
  if (f == NULL || !f->is_graph)
    GSL_ERROR("lesson_show_graph: the graph was not made by lesson_graph(), "
              "so its name is unknown", GSL_EINVAL);
  int status = nn_graph_write(g, L->out_dir);
  if (status != GSL_SUCCESS)
    return status;
  f->files |= FILE_DOT;
  if (!have_program(L, 1))
    return GSL_SUCCESS;
  if ((status = nn_graph_render(g, L->out_dir, "svg")) == GSL_SUCCESS)
    f->files |= FILE_SVG;
  return status;
}

/* ===== The end ===== */

int
lesson_finish(lesson *L)
{
  lesson_prose(L, INT_MAX);
  size_t shown = 0;
  for (size_t i = 0; i < L->n_figures; i++)
    shown += L->figures[i].files != 0;
  if (shown > 0) {
    lesson_heading(L, 2, "Figures written");
    static const struct { unsigned bit; const char *ext; } kinds[] = {
      {FILE_GP, "gp"}, {FILE_DAT, "dat"}, {FILE_DOT, "dot"},
      {FILE_SVG, "svg"}, {FILE_PNG, "png"},
    };
    for (size_t i = 0; i < L->n_figures; i++) {
      const lesson_figure *f = &L->figures[i];
      if (f->files == 0)
        continue;
      char exts[64] = "";  /* "gp,dat,svg,png" */
      int count = 0;
      for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        if (f->files & kinds[k].bit)
          snprintf(exts + strlen(exts), sizeof exts - strlen(exts), "%s%s",
                   count++ ? "," : "", kinds[k].ext);
      if (count > 1)
        lesson_printf(L, "  %s/%s.{%s}", L->out_dir, f->name, exts);
      else
        lesson_printf(L, "  %s/%s.%s", L->out_dir, f->name, exts);
      const char *missing = !f->is_graph && !(f->files & FILE_SVG) ? "gnuplot"
                            : f->is_graph && !(f->files & FILE_SVG) ? "dot" : NULL;
      if (missing != NULL && !L->draw)
        lesson_printf(L, "  (not drawn: --no-figures)\n");
      else
        lesson_printf(L, "%s%s%s\n", missing ? "  (not drawn: " : "",
                      missing ? missing : "", missing ? " is missing)" : "");
    }
  }
  lesson_printf(L, "\n(%s ran with --seed %lu: the same seed gives the same lesson.)\n",
                L->name, L->seed);

  int status = EXIT_SUCCESS;
  if (L->section == -2) {
    printf("Sections of %s (print one with --section N):\n", L->name);
    for (int k = 0; k <= L->section_now && (size_t) k < L->cap_titles; k++)
      printf("  %2d  %s\n", k, L->section_titles[k]);
  } else if (L->section > L->section_now) {
    fflush(L->out);
    fprintf(stderr, "%s: error: there is no section %d: the sections are 0 to %d"
            " (see --sections)\n", L->name, L->section, L->section_now);
    status = 2;
  }
  nn_plot_session_free(L->plots);
  if (fflush(L->out) != 0 || ferror(L->out)) {
    fprintf(stderr, "%s: error: the lesson could not be printed: %s\n", L->name,
            strerror(errno));
    status = EXIT_FAILURE;
  }
  if (L->out != stdout)
    fclose(L->out);
  for (size_t i = 0; i < L->n_figures; i++)
    free(L->figures[i].name);
  free(L->figures);
  free(L->out_dir_owned);
  free(L->section_titles);
  gsl_rng_free(L->rng);
  free(L);
  running = NULL;
  return status;
}

/* ===== Progress ===== */

void
lesson_progress(lesson *L, const char *what, size_t done, size_t total)
{
  (void) L;
  if (!isatty(STDERR_FILENO))
    return;
  if (done < total)
    fprintf(stderr, "\r  %s: %zu of %zu ...", what, done, total);
  else
    fprintf(stderr, "\r%*s\r", 60, "");
  fflush(stderr);
}

/* ===== Active learning ===== */

void
lesson_try(lesson *L, const char *fmt, ...)
{
  char text[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  lesson_printf(L, "\n%sTry it:%s %s\n", L->color ? "\033[1m" : "",
                L->color ? "\033[0m" : "", text);
}

int
lesson_challenge(lesson *L, const char *question)
{
  lesson_printf(L, "\n%sChallenge:%s %s\n", L->color ? "\033[1m" : "",
                L->color ? "\033[0m" : "", question);
  if (!L->reveal)
    lesson_printf(L, "(Think it through first; run again with --reveal to see the answer.)\n");
  return L->reveal;
}

void
lesson_questions(lesson *L, const char *q1, const char *q2, const char *q3)
{
  lesson_heading(L, 2, "Check yourself");
  const char *q[3] = {q1, q2, q3};
  for (int i = 0; i < 3; i++)
    lesson_printf(L, "%d. %s\n", i + 1, q[i]);
  lesson_printf(L, "\nNow practise: fill in exercises/ex%02d/ and run `make exercise%d`.\n",
                L->number, L->number);
}
