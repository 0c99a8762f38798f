/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lectures/handout.c: `make handouts`, a lecture woven into one HTML page.
 *
 *   handout --lesson handouts/lecture1/lesson.txt --figures handouts/lecture1 \
 *           --lectures "1 2 3" --out handouts/lecture1.html \
 *           lectures/lecture1-derivatives.c
 *   handout --index --out handouts/index.html lectures/lecture*-*.c
 *
 * A lecture page is laid out the way Docco lays out a literate program: the
 * source is cut into sections at the headings of its `///` prose; inside a
 * section each block of prose (Markdown, rendered by cmark) sits beside the
 * code that follows it (highlighted, see highlight.h). After the prose and
 * code of a section comes what the lesson printed there, and its figures.
 *
 * What the lesson printed (--lesson) is the standard output of one run of
 * the lecture with --no-prose, which keeps the headings of the prose and
 * leaves out the rest (lesson.h). That output is cut at those headings, in
 * the order of the source, and each part goes under its heading: the
 * numbers computed under "## 3. ..." appear at the end of section 3. A
 * heading the program printed itself (one that is not in the prose, like
 * "## Figures written") starts a part of its own, shown after the section it
 * follows. A heading of the prose that the output does not contain is
 * reported on stderr, and what follows it stays under the heading before.
 *
 * The figures are the .svg files the same run wrote into its output folder
 * (--figures, which must lie inside the page's folder: the page refers to
 * them by a relative path, so the folder can be copied as it is). Each
 * figure is placed, in this order of preference:
 *   1. where the lesson printed it as text: a gnuplot figure printed on the
 *      dumb terminal carries its title, read from NAME.gp; the picture then
 *      replaces the text;
 *   2. at the end of the last section whose code names it ("NAME" as a
 *      string);
 *   3. in a last section, "More figures".
 * A figure that has a script (.gp, .dot) but no picture (gnuplot or dot was
 * missing when the lecture ran) is shown as a note naming the script.
 *
 * The index page is the course map: the thirteen lectures of the syllabus,
 * each linked to its page when its source is given, with its sections.
 *
 * Errors (a file that cannot be read or written, a bad option) print
 * "handout: error: ..." naming the file, and exit 1 (2 for the command
 * line). */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmark.h>

#include "highlight.h"
#include "lesson.h"

/* The course map of the index page: the lectures of the syllabus, in
 * teaching order. Lecture N links to lectureN.html when it exists. */
static const char *const syllabus[] = {
  "Vectors, matrices and derivatives",
  "The perceptron",
  "The forward pass",
  "Loss and cost",
  "Gradient descent in 1D",
  "Gradient descent in 2D",
  "Backpropagation",
  "Training a network",
  "Optimizers",
  "Regularization",
  "Classifying images",
  "Sequences: RNNs and LSTMs",
  "Attention",
};
#define N_SYLLABUS (sizeof syllabus / sizeof syllabus[0])

/* ===== Errors and memory ===== */

static void __attribute__((noreturn, format(printf, 2, 3)))
die(int status, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "handout: error: ");
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  if (status == 2)
    fprintf(stderr, "Try 'handout --help' for the options.\n");
  exit(status);
}

static void *
xrealloc(void *p, size_t n)
{
  p = realloc(p, n > 0 ? n : 1);
  if (p == NULL)
    die(1, "out of memory (%zu bytes)", n);
  return p;
}

static char *
xstrndup(const char *s, size_t n)
{
  char *d = xrealloc(NULL, n + 1);
  memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

/* Grow *ARRAY of *N elements of SIZE bytes by one zeroed element; returns
 * it. */
static void *
grow(void *array_ptr, size_t *n, size_t size)
{
  void **array = array_ptr;
  *array = xrealloc(*array, (*n + 1) * size);
  void *last = (char *) *array + *n * size;
  memset(last, 0, size);
  (*n)++;
  return last;
}

/* The whole file PATH, NUL-terminated; NULL with errno set when it cannot
 * be read. The caller frees it. */
static char *
read_file(const char *path)
{
  FILE *f = fopen(path, "rb");
  if (f == NULL)
    return NULL;
  char *s = NULL;
  size_t n = 0, cap = 0, got;
  do {
    if (cap - n < 4096) {
      cap = cap ? 2 * cap : 16384;
      s = xrealloc(s, cap);
    }
    got = fread(s + n, 1, cap - n - 1, f);
    n += got;
  } while (got > 0);
  int failed = ferror(f);
  fclose(f);
  if (failed) {
    free(s);
    errno = EIO;
    return NULL;
  }
  s[n] = '\0';
  return s;
}

static char *
read_or_die(const char *path, const char *what)
{
  char *s = read_file(path);
  if (s == NULL)
    die(1, "cannot read %s '%s': %s", what, path, strerror(errno));
  return s;
}

/* ===== Markdown ===== */

/* Markdown TEXT (N bytes) rendered by cmark, written to OUT. cmark's safe
 * mode (the default) leaves raw HTML out, so prose cannot break the page. */
static void
write_markdown(FILE *out, const char *text, size_t n)
{
  char *html = cmark_markdown_to_html(text, n, CMARK_OPT_DEFAULT);
  if (html == NULL)
    die(1, "out of memory while rendering Markdown");
  fputs(html, out);
  free(html);
}

/* The inline HTML of a heading line ("## The `dot` product" gives
 * "The <code>dot</code> product"), for tables of contents. Caller frees. */
static char *
heading_html(const char *line)
{
  char *html = cmark_markdown_to_html(line, strlen(line), CMARK_OPT_DEFAULT);
  if (html == NULL)
    die(1, "out of memory while rendering Markdown");
  const char *open = strchr(html, '>'), *close = strstr(html, "</h");
  char *inner = (open != NULL && close != NULL && close > open)
                  ? xstrndup(open + 1, (size_t) (close - open - 1))
                  : xstrndup("", 0);
  free(html);
  return inner;
}

/* ===== The lecture, cut into sections ===== */

/* A run of prose lines (Markdown) or of code lines (C). */
typedef struct item {
  int is_code;  /* 1: C source; 0: Markdown */
  char *text;   /* the lines, each ending in '\n' (owned) */
  size_t n;     /* its length */
} item;

/* What the lesson printed under one heading. */
typedef struct part {
  char *heading;  /* a heading the program printed ("## Figures written"),
                     NULL for the section's own output (owned) */
  char *text;     /* the printed lines (owned) */
  size_t n;
} part;

/* A figure of the lecture's output folder, and where it goes. */
typedef struct figure {
  char *name;        /* file stem: "weighted-sum" (owned) */
  int svg, gp, dot;  /* which of NAME.svg, NAME.gp, NAME.dot exist */
  char *title;       /* first line of its gnuplot title, or NULL (owned) */
  size_t section;    /* where it goes; valid when placed */
  size_t part;       /*   part of that section */
  size_t anchor;     /*   offset in the part's text of the printed figure
                          it replaces, or (size_t) -1 for after the text */
  size_t anchor_end; /*   end of that printed figure */
  size_t order;      /* sort key: the offset of its name in the source */
  int placed;
} figure;

/* From one heading of the prose to the next. */
typedef struct section {
  char *heading;    /* the heading line, "## 1. Vectors" (owned); NULL
                       for what comes before the first heading */
  int line;         /* its line in the source */
  item *items;      /* prose and code, in source order */
  size_t n_items;
  part *parts;      /* parts[0]: its own output; then the program's
                       headings that follow it */
  size_t n_parts;
} section;

typedef struct lecture {
  const char *source;   /* the path of the .c file */
  const char *base;     /* its file name */
  int number;           /* N of lectureN-topic.c, or 0 */
  section *sections;
  size_t n_sections;
  figure *figures;
  size_t n_figures;
} lecture;

/* Append LINE (N bytes, without its newline) to the last item of S when
 * it is of the same kind and still open; else start a new item. */
static void
add_line(section *s, int is_code, int open, const char *line, size_t n)
{
  item *it = (s->n_items > 0 && open) ? &s->items[s->n_items - 1] : NULL;
  if (it == NULL || it->is_code != is_code) {
    it = grow(&s->items, &s->n_items, sizeof *it);
    it->is_code = is_code;
  }
  it->text = xrealloc(it->text, it->n + n + 2);
  memcpy(it->text + it->n, line, n);
  it->n += n;
  it->text[it->n++] = '\n';
  it->text[it->n] = '\0';
}

/* Whether ITEM holds only blank lines. */
static int
blank(const item *it)
{
  for (size_t k = 0; k < it->n; k++)
    if (it->text[k] != ' ' && it->text[k] != '\t' && it->text[k] != '\n')
      return 0;
  return 1;
}

/* Cut SOURCE (the text of L->source) into sections. A prose line is one
 * that begins, after blanks, with `///` followed by a space or by nothing
 * (lectures/prose.awk); the rest is code. */
static void
read_sections(lecture *L, const char *text, int first_line)
{
  section *s = grow(&L->sections, &L->n_sections, sizeof *s);
  int prev_prose = -1;  /* kind of the previous line: -1 none, 0 code, 1 prose */
  int number = first_line - 1;
  for (const char *line = text; *line != '\0';) {
    const char *end = strchr(line, '\n');
    size_t n = end ? (size_t) (end - line) : strlen(line);
    number++;
    size_t lead = strspn(line, " \t");
    int prose = n >= lead + 3 && strncmp(line + lead, "///", 3) == 0
                && (n == lead + 3 || line[lead + 3] == ' ');
    if (prose) {
      const char *body = line + lead + (n == lead + 3 ? 3 : 4);
      size_t len = n - (size_t) (body - line);
      if (lesson_heading_level(body, len) > 0) {
        s = grow(&L->sections, &L->n_sections, sizeof *s);
        s->heading = xstrndup(body, len);
        s->line = number;
      } else {
        add_line(s, 0, prev_prose == 1, body, len);
      }
    } else {
      add_line(s, 1, prev_prose == 0, line, n);
    }
    prev_prose = prose;
    line += n + (end != NULL);
  }
  /* Drop blank items; trim the blank lines around code. */
  for (size_t i = 0; i < L->n_sections; i++) {
    section *t = &L->sections[i];
    size_t kept = 0;
    for (size_t k = 0; k < t->n_items; k++) {
      item *it = &t->items[k];
      if (blank(it)) {
        free(it->text);
        continue;
      }
      size_t start = 0;
      while (strspn(it->text + start, " \t") < it->n - start
             && it->text[start + strspn(it->text + start, " \t")] == '\n')
        start += strspn(it->text + start, " \t") + 1;
      memmove(it->text, it->text + start, it->n - start + 1);
      it->n -= start;
      while (it->n > 1 && it->text[it->n - 2] == '\n')
        it->text[--it->n] = '\0';
      t->items[kept++] = *it;
    }
    t->n_items = kept;
  }
}

/* Whether LINE (N bytes) is HEADING, give or take trailing blanks. */
static int
same_heading(const char *line, size_t n, const char *heading)
{
  while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\r'))
    n--;
  return strlen(heading) == n && strncmp(line, heading, n) == 0;
}

/* Append LINE (N bytes and its newline) to part P. */
static void
part_add(part *p, const char *line, size_t n)
{
  p->text = xrealloc(p->text, p->n + n + 2);
  memcpy(p->text + p->n, line, n);
  p->n += n;
  p->text[p->n++] = '\n';
  p->text[p->n] = '\0';
}

/* Cut what the lesson printed (OUTPUT, from the file PATH) at the headings
 * of the sections, in order. */
static void
read_output(lecture *L, const char *output, const char *path)
{
  for (size_t i = 0; i < L->n_sections; i++)
    grow(&L->sections[i].parts, &L->sections[i].n_parts, sizeof(part));
  size_t cur = 0;   /* the section printing */
  size_t next = 1;  /* the next section whose heading is awaited */
  part *p = &L->sections[0].parts[0];
  for (const char *line = output; *line != '\0';) {
    const char *end = strchr(line, '\n');
    size_t n = end ? (size_t) (end - line) : strlen(line);
    size_t found = next;  /* the awaited heading, or a later one */
    while (found < L->n_sections && !same_heading(line, n, L->sections[found].heading))
      found++;
    if (found < L->n_sections && (found == next || lesson_heading_level(line, n) > 0)) {
      for (; next < found; next++)
        fprintf(stderr, "handout: warning: %s:%d: the heading '%s' is not in the "
                "lesson's output (%s); what it printed there is shown under the "
                "heading before\n", L->source, L->sections[next].line,
                L->sections[next].heading, path);
      cur = found;
      next = found + 1;
      p = &L->sections[cur].parts[0];
    } else if (lesson_heading_level(line, n) > 0) {
      section *s = &L->sections[cur];
      p = grow(&s->parts, &s->n_parts, sizeof *p);
      p->heading = xstrndup(line, n);
    } else {
      part_add(p, line, n);
    }
    line += n + (end != NULL);
  }
  for (; next < L->n_sections; next++)
    fprintf(stderr, "handout: warning: %s:%d: the heading '%s' is not in the "
            "lesson's output (%s)\n", L->source, L->sections[next].line,
            L->sections[next].heading, path);
}

/* ===== Figures ===== */

/* The first line of the title of the gnuplot script TEXT (`set title
 * 'It''s'` gives "It's"), or NULL. Caller frees. */
static char *
gnuplot_title(const char *text)
{
  const char *t = strstr(text, "\nset title '");
  if (t == NULL)
    return NULL;
  t += strlen("\nset title '");
  char *title = xrealloc(NULL, strlen(t) + 1);
  size_t n = 0;
  for (; *t != '\0' && *t != '\n'; t++) {
    if (*t == '\'') {
      if (t[1] != '\'')
        break;
      t++;
    }
    title[n++] = *t;
  }
  title[n] = '\0';
  return title;
}

static int
by_name(const void *a, const void *b)
{
  return strcmp(((const figure *) a)->name, ((const figure *) b)->name);
}

/* The figures in DIR: every NAME with a .svg, .gp or .dot file. */
static void
read_figures(lecture *L, const char *dir)
{
  DIR *d = opendir(dir);
  if (d == NULL)
    die(1, "cannot read the figures folder '%s': %s", dir, strerror(errno));
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    const char *dot = strrchr(e->d_name, '.');
    if (dot == NULL || dot == e->d_name)
      continue;
    int svg = strcmp(dot, ".svg") == 0, gp = strcmp(dot, ".gp") == 0,
        gv = strcmp(dot, ".dot") == 0;
    if (!svg && !gp && !gv)
      continue;
    size_t stem = (size_t) (dot - e->d_name);
    figure *f = NULL;
    for (size_t i = 0; i < L->n_figures && f == NULL; i++)
      if (strlen(L->figures[i].name) == stem
          && strncmp(L->figures[i].name, e->d_name, stem) == 0)
        f = &L->figures[i];
    if (f == NULL) {
      f = grow(&L->figures, &L->n_figures, sizeof *f);
      f->name = xstrndup(e->d_name, stem);
    }
    f->svg |= svg;
    f->gp |= gp;
    f->dot |= gv;
  }
  closedir(d);
  if (L->n_figures > 0)
    qsort(L->figures, L->n_figures, sizeof *L->figures, by_name);
  for (size_t i = 0; i < L->n_figures; i++) {
    figure *f = &L->figures[i];
    if (!f->gp)
      continue;
    size_t len = strlen(dir) + strlen(f->name) + 8;
    char *path = xrealloc(NULL, len);
    snprintf(path, len, "%s/%s.gp", dir, f->name);
    char *script = read_or_die(path, "the gnuplot script");
    f->title = gnuplot_title(script);
    free(script);
    free(path);
  }
}

/* The paragraph of TEXT (lines between empty lines) that holds offset AT:
 * [*start, *end). */
static void
paragraph(const char *text, size_t n, size_t at, size_t *start, size_t *end)
{
  size_t s = at, e = at;
  while (s > 0 && !(text[s - 1] == '\n' && (s < 2 || text[s - 2] == '\n')))
    s--;
  while (e < n && !(text[e] == '\n' && (e + 1 >= n || text[e + 1] == '\n')))
    e++;
  *start = s;
  *end = e < n ? e + 1 : n;
}

/* Place each figure (see the top of this file). */
static void
place_figures(lecture *L)
{
  for (size_t i = 0; i < L->n_figures; i++) {
    figure *f = &L->figures[i];
    /* 1. The lesson printed it: a paragraph with a plot frame and its title. */
    for (size_t s = 0; s < L->n_sections && !f->placed && f->title && f->svg; s++)
      for (size_t p = 0; p < L->sections[s].n_parts && !f->placed; p++) {
        const part *pt = &L->sections[s].parts[p];
        if (pt->text == NULL || f->title[0] == '\0')
          continue;
        for (const char *hit = strstr(pt->text, f->title); hit && !f->placed;
             hit = strstr(hit + 1, f->title)) {
          size_t a, b;
          paragraph(pt->text, pt->n, (size_t) (hit - pt->text), &a, &b);
          char *para = xstrndup(pt->text + a, b - a);
          int framed = strstr(para, "+----------") != NULL;
          free(para);
          int taken = 0;
          for (size_t j = 0; j < i; j++)
            taken |= L->figures[j].placed && L->figures[j].section == s
                     && L->figures[j].part == p && L->figures[j].anchor == a;
          if (framed && !taken) {
            f->section = s;
            f->part = p;
            f->anchor = a;
            f->anchor_end = b;
            f->order = a;
            f->placed = 1;
          }
        }
      }
    /* 2. The code of a section names it: the last section that does, as
     * the same word may name a knob in the option table at the top. */
    if (f->placed)
      continue;
    size_t len = strlen(f->name) + 3, offset = 0;
    char *quoted = xrealloc(NULL, len);
    snprintf(quoted, len, "\"%s\"", f->name);
    for (size_t s = 0; s < L->n_sections; s++)
      for (size_t k = 0; k < L->sections[s].n_items; k++) {
        const item *it = &L->sections[s].items[k];
        const char *hit = it->is_code ? strstr(it->text, quoted) : NULL;
        if (hit != NULL) {
          f->section = s;
          f->part = 0;
          f->anchor = (size_t) -1;
          f->order = offset + (size_t) (hit - it->text);
          f->placed = 1;
        }
        offset += it->n;
      }
    free(quoted);
  }
}

/* ===== The page ===== */

/* The figure F as HTML: its picture, or a note naming its script. */
static void
write_figure(FILE *out, const figure *f, const char *url)
{
  if (f->svg) {
    fputs("<figure><img src=\"", out);
    highlight_escape(out, url, strlen(url));
    fputs("/", out);
    highlight_escape(out, f->name, strlen(f->name));
    fputs(".svg\" alt=\"", out);
    highlight_escape(out, f->title ? f->title : f->name, strlen(f->title ? f->title : f->name));
    fputs("\"><figcaption>", out);
    highlight_escape(out, f->name, strlen(f->name));
    fputs("</figcaption></figure>\n", out);
    return;
  }
  const char *ext = f->gp ? "gp" : f->dot ? "dot" : NULL;
  if (ext == NULL)
    return;
  fputs("<p class=\"not-drawn\">Figure <b>", out);
  highlight_escape(out, f->name, strlen(f->name));
  fprintf(out, "</b> is not drawn: %s was missing when this handout was made "
          "(Debian package %s). Its script is <a href=\"", f->gp ? "gnuplot" : "dot",
          f->gp ? "gnuplot-nox" : "graphviz");
  highlight_escape(out, url, strlen(url));
  fprintf(out, "/%s.%s\">%s.%s</a>.</p>\n", f->name, ext, f->name, ext);
}

/* TEXT[0, N) as preformatted output, without the empty lines around it. */
static void
write_printed(FILE *out, const char *text, size_t n)
{
  while (n > 0 && text[0] == '\n') {
    text++;
    n--;
  }
  while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == ' '))
    n--;
  if (n == 0)
    return;
  fputs("<pre class=\"printed\">", out);
  highlight_escape(out, text, n);
  fputs("</pre>\n", out);
}

static int
by_order(const void *a, const void *b)
{
  const figure *f = *(const figure *const *) a, *g = *(const figure *const *) b;
  return f->order < g->order ? -1 : f->order > g->order;
}

/* The figures placed in part P of section S, in order; NULL-terminated,
 * caller frees. */
static figure **
figures_of(const lecture *L, size_t s, size_t p)
{
  figure **list = xrealloc(NULL, (L->n_figures + 1) * sizeof *list);
  size_t n = 0;
  for (size_t i = 0; i < L->n_figures; i++)
    if (L->figures[i].placed && L->figures[i].section == s && L->figures[i].part == p)
      list[n++] = &L->figures[i];
  if (n > 1)
    qsort(list, n, sizeof *list, by_order);
  list[n] = NULL;
  return list;
}

/* What the lesson printed in part P of section S, with its figures. */
static void
write_part(FILE *out, const lecture *L, size_t s, size_t p, const char *url)
{
  const part *pt = &L->sections[s].parts[p];
  figure **figs = figures_of(L, s, p);
  size_t blanks = pt->text ? strspn(pt->text, " \n") : 0;
  if (blanks == pt->n && figs[0] == NULL) {
    free(figs);
    return;
  }
  fputs("<div class=\"lesson\">\n<p class=\"label\">The lesson prints</p>\n", out);
  size_t done = 0;
  for (figure **f = figs; *f != NULL; f++)
    if ((*f)->anchor != (size_t) -1) {
      write_printed(out, pt->text + done, (*f)->anchor - done);
      write_figure(out, *f, url);
      done = (*f)->anchor_end;
    }
  if (pt->text != NULL)
    write_printed(out, pt->text + done, pt->n - done);
  for (figure **f = figs; *f != NULL; f++)
    if ((*f)->anchor == (size_t) -1)
      write_figure(out, *f, url);
  fputs("</div>\n", out);
  free(figs);
}

/* The items of section S as rows: each block of prose beside the code
 * that follows it. */
static void
write_items(FILE *out, const section *s)
{
  for (size_t k = 0; k < s->n_items; k++) {
    const item *prose = !s->items[k].is_code ? &s->items[k] : NULL;
    if (prose != NULL)
      k++;
    const item *code = k < s->n_items && s->items[k].is_code ? &s->items[k] : NULL;
    if (code == NULL && prose != NULL)
      k--;
    fputs("<div class=\"row\">\n<div class=\"prose\">\n", out);
    if (prose != NULL)
      write_markdown(out, prose->text, prose->n);
    fputs("</div>\n<div class=\"code\">", out);
    if (code != NULL) {
      fputs("<pre><code>", out);
      highlight_c(out, code->text, code->n);
      fputs("</code></pre>", out);
    }
    fputs("</div>\n</div>\n", out);
  }
}

/* The title of the lecture: its first heading without the #s. */
static const char *
lecture_title(const lecture *L)
{
  for (size_t i = 0; i < L->n_sections; i++)
    if (L->sections[i].heading != NULL)
      return L->sections[i].heading + strspn(L->sections[i].heading, "#")
             + (L->sections[i].heading[strspn(L->sections[i].heading, "#")] == ' ');
  return L->base;
}

static void
write_head(FILE *out, const char *title, const char *css)
{
  fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<title>", out);
  highlight_escape(out, title, strlen(title));
  fputs("</title>\n<link rel=\"stylesheet\" href=\"", out);
  highlight_escape(out, css, strlen(css));
  fputs("\">\n</head>\n<body>\n", out);
}

/* Whether the number N is in the list LECTURES ("1 2 3", or "1,2,3"). */
static int
listed(const char *lectures, int n)
{
  if (lectures == NULL)
    return 0;
  for (const char *s = lectures; *s != '\0';) {
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s) {
      s++;
      continue;
    }
    if (v == n)
      return 1;
    s = end;
  }
  return 0;
}

static void
write_nav(FILE *out, const lecture *L, const char *lectures)
{
  fputs("<nav class=\"bar\">", out);
  if (L->number > 1 && listed(lectures, L->number - 1))
    fprintf(out, "<a href=\"lecture%d.html\" rel=\"prev\">&larr; Lecture %d</a> ",
            L->number - 1, L->number - 1);
  fputs("<a href=\"index.html\">Course map</a>", out);
  if (listed(lectures, L->number + 1))
    fprintf(out, " <a href=\"lecture%d.html\" rel=\"next\">Lecture %d &rarr;</a>",
            L->number + 1, L->number + 1);
  fputs("</nav>\n", out);
}

/* The contents: links to the second-level headings. */
static void
write_contents(FILE *out, const lecture *L)
{
  int any = 0;
  for (size_t i = 0; i < L->n_sections; i++) {
    const char *h = L->sections[i].heading;
    if (h == NULL || lesson_heading_level(h, strlen(h)) != 2)
      continue;
    if (!any++)
      fputs("<nav class=\"contents\"><p class=\"label\">Contents</p>\n<ul>\n", out);
    char *inner = heading_html(h);
    fprintf(out, "<li><a href=\"#s%zu\">%s</a></li>\n", i, inner);
    free(inner);
  }
  if (any)
    fputs("</ul></nav>\n", out);
}

static void
write_page(FILE *out, const lecture *L, const char *url, const char *css,
           const char *lectures)
{
  write_head(out, lecture_title(L), css);
  write_nav(out, L, lectures);
  fputs("<main>\n", out);
  int contents = 0;  /* written yet: after the title, or before the first section */
  for (size_t i = 0; i < L->n_sections; i++) {
    const section *s = &L->sections[i];
    int level = s->heading ? lesson_heading_level(s->heading, strlen(s->heading)) : 0;
    if (s->heading == NULL && s->n_items == 0 && s->n_parts <= 1
        && (s->n_parts == 0 || strspn(s->parts[0].text ? s->parts[0].text : "", " \n")
                                 == s->parts[0].n))
      continue;  /* nothing before the first heading */
    if (!contents && level != 1) {
      write_contents(out, L);
      contents = 1;
    }
    fprintf(out, "<section id=\"s%zu\">\n", i);
    if (s->heading != NULL)
      write_markdown(out, s->heading, strlen(s->heading));
    if (!contents) {
      write_contents(out, L);
      contents = 1;
    }
    write_items(out, s);
    if (s->n_parts > 0)
      write_part(out, L, i, 0, url);
    fputs("</section>\n", out);
    for (size_t p = 1; p < s->n_parts; p++) {
      fprintf(out, "<section id=\"s%zu-%zu\" class=\"printed-only\">\n", i, p);
      write_markdown(out, s->parts[p].heading, strlen(s->parts[p].heading));
      write_part(out, L, i, p, url);
      fputs("</section>\n", out);
    }
  }

  int unplaced = 0;
  for (size_t i = 0; i < L->n_figures; i++)
    unplaced += !L->figures[i].placed;
  if (unplaced > 0) {
    fputs("<section id=\"more-figures\">\n<h2>More figures</h2>\n"
          "<div class=\"lesson\">\n", out);
    for (size_t i = 0; i < L->n_figures; i++)
      if (!L->figures[i].placed)
        write_figure(out, &L->figures[i], url);
    fputs("</div>\n</section>\n", out);
  }
  fputs("</main>\n<footer>Woven from <code>", out);
  highlight_escape(out, L->base, strlen(L->base));
  fputs("</code> by <code>make handouts</code>: the prose and code of the source, "
        "and the numbers and figures of one run of the lecture.</footer>\n"
        "</body>\n</html>\n", out);
}

/* ===== Reading a lecture ===== */

static void
lecture_read(lecture *L, const char *source)
{
  memset(L, 0, sizeof *L);
  L->source = source;
  L->base = strrchr(source, '/') ? strrchr(source, '/') + 1 : source;
  if (sscanf(L->base, "lecture%d", &L->number) != 1)
    L->number = 0;
  char *text = read_or_die(source, "the lecture");
  /* The licence line every source opens with is for the repository, not the
   * reader of the handout. */
  const char *start = text;
  int first_line = 1;
  if (strncmp(start, "/* SPDX-License-Identifier:", 27) == 0 && strchr(start, '\n') != NULL) {
    start = strchr(start, '\n') + 1;
    first_line = 2;
  }
  read_sections(L, start, first_line);
  free(text);
  int prose = 0;
  for (size_t i = 0; i < L->n_sections; i++) {
    prose |= L->sections[i].heading != NULL;
    for (size_t k = 0; k < L->sections[i].n_items; k++)
      prose |= !L->sections[i].items[k].is_code;
  }
  if (!prose)
    die(1, "%s has no prose (lines starting with ///): is it a lecture?", source);
}

static void
lecture_free(lecture *L)
{
  for (size_t i = 0; i < L->n_sections; i++) {
    section *s = &L->sections[i];
    free(s->heading);
    for (size_t k = 0; k < s->n_items; k++)
      free(s->items[k].text);
    free(s->items);
    for (size_t p = 0; p < s->n_parts; p++) {
      free(s->parts[p].heading);
      free(s->parts[p].text);
    }
    free(s->parts);
  }
  free(L->sections);
  for (size_t i = 0; i < L->n_figures; i++) {
    free(L->figures[i].name);
    free(L->figures[i].title);
  }
  free(L->figures);
}

/* ===== The index ===== */

static void
write_index(FILE *out, int n_sources, char **sources, const char *css)
{
  lecture *lectures = xrealloc(NULL, (size_t) n_sources * sizeof *lectures);
  for (int i = 0; i < n_sources; i++)
    lecture_read(&lectures[i], sources[i]);
  write_head(out, "nncourse: the course map", css);
  fputs("<main>\n<h1>Deep learning in C: the course map</h1>\n"
        "<p>Thirteen lectures, in teaching order. Each is a literate C program: "
        "its handout sets the prose beside the code, with the numbers and "
        "figures of one run. Run a lecture yourself with "
        "<code>make lectureN</code>; its exercise with "
        "<code>make exerciseN</code>.</p>\n<ol class=\"course\">\n", out);
  for (size_t n = 1; n <= N_SYLLABUS; n++) {
    const lecture *L = NULL;
    for (int i = 0; i < n_sources; i++)
      if (lectures[i].number == (int) n)
        L = &lectures[i];
    if (L == NULL) {
      fprintf(out, "<li class=\"to-come\">%s <span class=\"note\">(to come)</span></li>\n",
              syllabus[n - 1]);
      continue;
    }
    fprintf(out, "<li><a href=\"lecture%zu.html\">%s</a>\n<ul>\n", n, syllabus[n - 1]);
    for (size_t i = 0; i < L->n_sections; i++) {
      const char *h = L->sections[i].heading;
      if (h == NULL || lesson_heading_level(h, strlen(h)) != 2)
        continue;
      char *inner = heading_html(h);
      fprintf(out, "<li><a href=\"lecture%zu.html#s%zu\">%s</a></li>\n", n, i, inner);
      free(inner);
    }
    fputs("</ul></li>\n", out);
  }
  fputs("</ol>\n</main>\n</body>\n</html>\n", out);
  for (int i = 0; i < n_sources; i++)
    lecture_free(&lectures[i]);
  free(lectures);
}

/* ===== The command line ===== */

static void
usage(void)
{
  printf("Usage: handout [OPTION]... --out PAGE LECTURE.c\n"
         "       handout --index --out PAGE LECTURE.c...\n"
         "Weave a lecture into one HTML page: its prose beside its code, with the\n"
         "numbers and figures of a run; or, with --index, the course map.\n\n"
         "  --out PAGE       the page to write (required)\n"
         "  --lesson FILE    what the lecture printed when run with --no-prose\n"
         "  --figures DIR    the folder that run wrote its figures to; it must be\n"
         "                   inside the page's folder, which the page refers to it from\n"
         "  --lectures LIST  the numbers of the lectures that have a page (\"1 2 3\"),\n"
         "                   for the links to the previous and next lecture\n"
         "  --css FILE       the style sheet, relative to the page (default handout.css)\n"
         "  --index          write the course map, linking the lectures given\n"
         "  --help           print this help and exit\n");
}

/* DIR as a path relative to the folder of PAGE, which must contain it. */
static const char *
relative_to_page(const char *dir, const char *page)
{
  const char *slash = strrchr(page, '/');
  if (slash == NULL)
    return strncmp(dir, "./", 2) == 0 ? dir + 2 : dir;
  size_t n = (size_t) (slash - page);
  if (strncmp(dir, page, n) != 0 || dir[n] != '/' || dir[n + 1] == '\0')
    die(2, "--figures '%s' is not inside the folder of the page '%s': the page "
        "could not refer to its figures by a relative path", dir, page);
  return dir + n + 1;
}

int
main(int argc, char **argv)
{
  const char *out_path = NULL, *lesson_path = NULL, *figures = NULL,
             *lectures = NULL, *css = "handout.css";
  int index = 0, a = 1;
  for (; a < argc && strncmp(argv[a], "--", 2) == 0; a++) {
    const char *opt = argv[a];
    const char **value = strcmp(opt, "--out") == 0 ? &out_path
                         : strcmp(opt, "--lesson") == 0 ? &lesson_path
                         : strcmp(opt, "--figures") == 0 ? &figures
                         : strcmp(opt, "--lectures") == 0 ? &lectures
                         : strcmp(opt, "--css") == 0 ? &css : NULL;
    if (value != NULL) {
      if (a + 1 >= argc)
        die(2, "option '%s' needs a value", opt);
      *value = argv[++a];
    } else if (strcmp(opt, "--index") == 0) {
      index = 1;
    } else if (strcmp(opt, "--help") == 0) {
      usage();
      return 0;
    } else if (strcmp(opt, "--") == 0) {
      a++;
      break;
    } else {
      die(2, "unknown option '%s'", opt);
    }
  }
  if (out_path == NULL)
    die(2, "--out PAGE is required");
  if (a >= argc)
    die(2, "no lecture source given");
  if (!index && a + 1 < argc)
    die(2, "one lecture source at a time ('%s', then '%s')", argv[a], argv[a + 1]);
  if (index && (lesson_path != NULL || figures != NULL))
    die(2, "--lesson and --figures are for a lecture's page, not --index");
  const char *url = figures ? relative_to_page(figures, out_path) : NULL;

  /* Write to PAGE-t, then rename: an interrupted run leaves no half page. */
  size_t len = strlen(out_path) + 3;
  char *tmp = xrealloc(NULL, len);
  snprintf(tmp, len, "%s-t", out_path);
  FILE *out = fopen(tmp, "w");
  if (out == NULL)
    die(1, "cannot write '%s': %s", tmp, strerror(errno));

  if (index) {
    write_index(out, argc - a, argv + a, css);
  } else {
    lecture L;
    lecture_read(&L, argv[a]);
    char *printed = lesson_path ? read_or_die(lesson_path, "the lesson's output") : NULL;
    if (printed != NULL)
      read_output(&L, printed, lesson_path);
    else
      for (size_t i = 0; i < L.n_sections; i++)
        grow(&L.sections[i].parts, &L.sections[i].n_parts, sizeof(part));
    free(printed);
    if (figures != NULL) {
      read_figures(&L, figures);
      place_figures(&L);
    }
    write_page(out, &L, url, css, lectures);
    lecture_free(&L);
  }
  int failed = ferror(out);
  if (fclose(out) != 0 || failed || rename(tmp, out_path) != 0) {
    int e = errno;
    remove(tmp);
    die(1, "cannot write '%s': %s", out_path, strerror(e));
  }
  free(tmp);
  return 0;
}
