/* SPDX-License-Identifier: GPL-3.0-or-later */
/* plot.c: figures for gnuplot (see nn/plot.h).
 *
 * A figure is kept as two things while it is built: the data, streamed to
 * NAME.dat as each series arrives (one block per series), and a description
 * of each block (what it is, its legend, its `with` style). The script
 * NAME.gp is written once, at nn_plot_write(), from those descriptions:
 * only then are all series known, so defaults that depend on the whole
 * figure (the width of grouped bars, the range of a heat map) can be chosen.
 *
 * The script reads top to bottom as: what the figure is, the house style,
 * the settings that follow from its content, the caller's own settings (so
 * they win), and one plot command. It never sets a terminal or an output:
 * the renderer passes those with -e, so the same script gives SVG, PNG and
 * text.
 */
#include <config.h>

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <gsl/gsl_errno.h>

#include <nn/plot.h>
#include "spawn.h"

static const nn_spawn_program gnuplot = {
  "gnuplot", "NN_GNUPLOT", NN_GNUPLOT_PROGRAM, "gnuplot-nox"
};

/* ===== Growing text =====
 *
 * The script is assembled in memory and written in one go. A failed
 * allocation is remembered and reported once, at the end.
 */

struct text {
  char *s;      /* NUL-terminated when len > 0 */
  size_t len, cap;
  int no_memory;
};

static void
text_vprintf(struct text *t, const char *fmt, va_list ap)
{
  if (t->no_memory)
    return;
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  if (n < 0) {
    t->no_memory = 1;
    return;
  }
  size_t need = t->len + (size_t) n + 1;
  if (need > t->cap) {
    size_t cap = t->cap > 0 ? t->cap : 256;
    while (cap < need)
      cap *= 2;
    char *s = realloc(t->s, cap);
    if (s == NULL) {
      t->no_memory = 1;
      return;
    }
    t->s = s;
    t->cap = cap;
  }
  vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
  t->len += (size_t) n;
}

static void __attribute__((format(printf, 2, 3)))
text_printf(struct text *t, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  text_vprintf(t, fmt, ap);
  va_end(ap);
}

/* Plain text as a gnuplot string expression that shows it literally.
 *
 * Single quotes, because gnuplot expands `backquotes` (a shell command!)
 * and backslash escapes inside double quotes, but nothing inside single
 * quotes, where a quote is written twice: it's -> 'it''s'. A newline cannot
 * appear inside a string, so it becomes a concatenation with a double-quoted
 * "\n": 'one'."\n".'two'. Other control characters become spaces. The
 * enhanced-text characters (_ ^ { } @ &) are left alone here; the caller
 * adds `noenhanced` to the item so that gnuplot prints them as they are. */
static void
text_quote(struct text *t, const char *plain)
{
  text_printf(t, "'");
  for (const char *c = plain; *c != '\0'; c++) {
    unsigned char u = (unsigned char) *c;
    if (*c == '\'')
      text_printf(t, "''");
    else if (*c == '\n')
      text_printf(t, "'.\"\\n\".'");
    else if (u < 0x20 || u == 0x7f)
      text_printf(t, " ");
    else
      text_printf(t, "%c", *c);
  }
  text_printf(t, "'");
}

/* ===== The figure ===== */

enum block_kind {
  BLOCK_CURVE,    /* rows "x y" */
  BLOCK_CURVE3D,  /* rows "x y z" */
  BLOCK_GRID,     /* rows "x y z", one scan line (constant y) per sub-block */
  BLOCK_BARS      /* rows "i value", i = 0 .. n-1 */
};

/* One series: one block of NAME.dat and one clause of the plot command. */
struct block {
  enum block_kind kind;
  char *legend;  /* plain text; NULL: no entry in the key */
  char *style;   /* the `with` clause, gnuplot syntax */
  size_t n;      /* number of points (bars: of values) */
};

struct nn_plot {
  char *dir;        /* the output folder, as given */
  char *name;       /* the file stem */
  char *dat_path, *gp_path, *svg_path, *png_path;  /* DIR/NAME.ext */
  FILE *dat;        /* NAME.dat, open until the script is written */
  int is_3d;        /* splot instead of plot */
  int written;      /* NAME.gp is written: the figure is closed */
  char *title, *xlabel, *ylabel;  /* plain text or NULL */
  struct text settings;           /* the caller's "set ..." lines, in call order */
  struct block *blocks;           /* one per series, in call order */
  size_t nblocks, blocks_cap;
  char **tics;      /* bar labels by position (may hold NULLs); owned */
  size_t ntics;
  int bars_below_zero;  /* some bar value is negative */
  int text_contours;    /* contour levels of a grid on the text terminal;
                           0: draw it there as on the others */
};

static void
free_blocks(nn_plot *p)
{
  for (size_t k = 0; k < p->nblocks; k++) {
    free(p->blocks[k].legend);
    free(p->blocks[k].style);
  }
  free(p->blocks);
}

/* Frees everything but does not write the script: the half-built figures of
 * nn_plot_alloc() and the end of nn_plot_free(). */
static void
plot_destroy(nn_plot *p)
{
  if (p->dat != NULL)
    fclose(p->dat);
  free(p->dir);
  free(p->name);
  free(p->dat_path);
  free(p->gp_path);
  free(p->svg_path);
  free(p->png_path);
  free(p->title);
  free(p->xlabel);
  free(p->ylabel);
  free(p->settings.s);
  free_blocks(p);
  for (size_t i = 0; i < p->ntics; i++)
    free(p->tics[i]);
  free(p->tics);
  free(p);
}

/* A copy of s, or NULL for NULL; *failed is set when out of memory. */
static char *
copy_or_null(const char *s, int *failed)
{
  if (s == NULL)
    return NULL;
  char *c = strdup(s);
  if (c == NULL)
    *failed = 1;
  return c;
}

nn_plot *
nn_plot_alloc(const char *dir, const char *name)
{
  char msg[1024];
  if (dir == NULL || dir[0] == '\0')
    GSL_ERROR_NULL("nn_plot_alloc: the folder must be a non-empty path", GSL_EINVAL);
  if (nn_spawn_check_stem("nn_plot_alloc", name) != GSL_SUCCESS)
    return NULL;

  nn_plot *p = calloc(1, sizeof *p);
  if (p == NULL)
    GSL_ERROR_NULL("nn_plot_alloc: out of memory", GSL_ENOMEM);
  p->dir = strdup(dir);
  p->name = strdup(name);
  p->dat_path = nn_spawn_file_path(dir, name, "dat");
  p->gp_path = nn_spawn_file_path(dir, name, "gp");
  p->svg_path = nn_spawn_file_path(dir, name, "svg");
  p->png_path = nn_spawn_file_path(dir, name, "png");
  if (p->dir == NULL || p->name == NULL || p->dat_path == NULL
      || p->gp_path == NULL || p->svg_path == NULL || p->png_path == NULL) {
    plot_destroy(p);
    GSL_ERROR_NULL("nn_plot_alloc: out of memory", GSL_ENOMEM);
  }

  /* "e": close-on-exec, so gnuplot started by another figure does not
   * inherit this open file. */
  p->dat = fopen(p->dat_path, "we");
  if (p->dat == NULL) {
    snprintf(msg, sizeof msg, "nn_plot_alloc: cannot write %s: %s",
             p->dat_path, strerror(errno));
    plot_destroy(p);
    GSL_ERROR_NULL(msg, GSL_EFAILED);
  }
  p->text_contours = 6;
  fprintf(p->dat, "# %s.dat: the data of the figure %s (plotted by %s.gp).\n"
          "# One block per series, blocks separated by two blank lines:"
          " gnuplot reads block k with `index k`.\n",
          name, name, name);
  return p;
}

void
nn_plot_free(nn_plot *p)
{
  if (p == NULL)
    return;
  if (!p->written && p->nblocks > 0)
    nn_plot_write(p);  /* a failure is reported through GSL_ERROR */
  plot_destroy(p);
}

/* The checks every function that changes the figure shares. */
static int
check_open(const char *who, const nn_plot *p)
{
  char msg[1024];
  if (p == NULL) {
    snprintf(msg, sizeof msg, "%s: the figure must not be NULL", who);
    GSL_ERROR(msg, GSL_EINVAL);
  }
  if (p->written || p->dat == NULL) {
    snprintf(msg, sizeof msg, "%s: %s is already written: the figure cannot"
             " change after nn_plot_write()", who, p->gp_path);
    GSL_ERROR(msg, GSL_EINVAL);
  }
  return GSL_SUCCESS;
}

/* Replace *slot by a copy of text (NULL: leave it as it is). */
static int
replace_text(const char *who, char **slot, const char *text)
{
  if (text == NULL)
    return GSL_SUCCESS;
  char *c = strdup(text);
  if (c == NULL) {
    char msg[256];
    snprintf(msg, sizeof msg, "%s: out of memory", who);
    GSL_ERROR(msg, GSL_ENOMEM);
  }
  free(*slot);
  *slot = c;
  return GSL_SUCCESS;
}

int
nn_plot_title(nn_plot *p, const char *title)
{
  int status = check_open("nn_plot_title", p);
  if (status != GSL_SUCCESS)
    return status;
  return replace_text("nn_plot_title", &p->title, title);
}

int
nn_plot_labels(nn_plot *p, const char *xlabel, const char *ylabel)
{
  int status = check_open("nn_plot_labels", p);
  if (status != GSL_SUCCESS)
    return status;
  status = replace_text("nn_plot_labels", &p->xlabel, xlabel);
  if (status != GSL_SUCCESS)
    return status;
  return replace_text("nn_plot_labels", &p->ylabel, ylabel);
}

int
nn_plot_set(nn_plot *p, const char *fmt, ...)
{
  char msg[1024];
  int status = check_open("nn_plot_set", p);
  if (status != GSL_SUCCESS)
    return status;
  if (fmt == NULL)
    GSL_ERROR("nn_plot_set: the format must not be NULL", GSL_EINVAL);

  va_list ap;
  va_start(ap, fmt);
  struct text line = {NULL, 0, 0, 0};
  text_vprintf(&line, fmt, ap);
  va_end(ap);
  if (line.no_memory) {
    free(line.s);
    GSL_ERROR("nn_plot_set: out of memory", GSL_ENOMEM);
  }
  const char *s = line.len > 0 ? line.s : "";
  if (s[strspn(s, " \t")] == '\0' || strpbrk(s, "\n\r") != NULL) {
    snprintf(msg, sizeof msg, "nn_plot_set: '%.200s' is not one line of"
             " gnuplot (for %s)", s, p->gp_path);
    free(line.s);
    GSL_ERROR(msg, GSL_EINVAL);
  }
  /* "unset ..." is the one other command that belongs with the settings. */
  if (strncmp(s, "unset ", 6) == 0)
    text_printf(&p->settings, "%s\n", s);
  else
    text_printf(&p->settings, "set %s\n", s);
  free(line.s);
  if (p->settings.no_memory)
    GSL_ERROR("nn_plot_set: out of memory", GSL_ENOMEM);
  return GSL_SUCCESS;
}

int
nn_plot_3d(nn_plot *p)
{
  char msg[1024];
  int status = check_open("nn_plot_3d", p);
  if (status != GSL_SUCCESS)
    return status;
  if (p->nblocks > 0) {
    snprintf(msg, sizeof msg, "nn_plot_3d: %s already has %zu series: call"
             " nn_plot_3d() before the first one", p->gp_path, p->nblocks);
    GSL_ERROR(msg, GSL_EINVAL);
  }
  p->is_3d = 1;
  return GSL_SUCCESS;
}

/* ===== Series: one block of data each =====
 *
 * Each series appends its block to NAME.dat at once (the caller's arrays
 * need not outlive the call) and records how to plot it. Blocks after the
 * first are preceded by two blank lines, which is what `index k` counts.
 */

/* Numbers with 15 significant digits (all a figure can show, and short);
 * NaN and infinities as "NaN", which gnuplot skips, leaving a gap. */
static void
put_number(FILE *f, double v)
{
  if (isfinite(v))
    fprintf(f, "%.15g", v);
  else
    fputs("NaN", f);
}

/* A legend for a comment line of NAME.dat: control characters as spaces. */
static void
put_comment_text(FILE *f, const char *s)
{
  for (; *s != '\0'; s++)
    fputc((unsigned char) *s < 0x20 ? ' ' : *s, f);
}

/* Checks the style, starts block number p->nblocks in NAME.dat with its
 * header comment, and records it. The caller writes the rows. */
static int
begin_block(const char *who, nn_plot *p, enum block_kind kind,
            const char *legend, const char *style, const char *default_style,
            size_t n, const char *columns)
{
  char msg[1024];
  if (style == NULL || style[0] == '\0')
    style = default_style;
  if (strpbrk(style, "\n\r") != NULL) {
    snprintf(msg, sizeof msg, "%s: the style '%.200s' is not one line (for %s)",
             who, style, p->gp_path);
    GSL_ERROR(msg, GSL_EINVAL);
  }
  if (p->nblocks == p->blocks_cap) {
    size_t cap = p->blocks_cap > 0 ? 2 * p->blocks_cap : 8;
    struct block *b = realloc(p->blocks, cap * sizeof *b);
    if (b == NULL) {
      snprintf(msg, sizeof msg, "%s: out of memory", who);
      GSL_ERROR(msg, GSL_ENOMEM);
    }
    p->blocks = b;
    p->blocks_cap = cap;
  }
  int failed = 0;
  struct block b = {kind, NULL, NULL, n};
  b.legend = legend != NULL && legend[0] != '\0' ? copy_or_null(legend, &failed) : NULL;
  b.style = copy_or_null(style, &failed);
  if (failed) {
    free(b.legend);
    free(b.style);
    snprintf(msg, sizeof msg, "%s: out of memory", who);
    GSL_ERROR(msg, GSL_ENOMEM);
  }

  FILE *f = p->dat;
  if (p->nblocks > 0)
    fputs("\n\n", f);
  fprintf(f, "# series %zu (index %zu)", p->nblocks + 1, p->nblocks);
  if (b.legend != NULL) {
    fputs(": ", f);
    put_comment_text(f, b.legend);
  }
  fprintf(f, "\n# %s\n", columns);
  p->blocks[p->nblocks++] = b;
  return GSL_SUCCESS;
}

/* After the rows: did every write reach the stream? */
static int
end_block(const char *who, nn_plot *p)
{
  if (ferror(p->dat)) {
    char msg[1024];
    snprintf(msg, sizeof msg, "%s: cannot write %s: %s", who, p->dat_path,
             strerror(errno));
    GSL_ERROR(msg, GSL_EFAILED);
  }
  return GSL_SUCCESS;
}

static int
check_2d(const char *who, const nn_plot *p)
{
  if (p->is_3d) {
    char msg[1024];
    snprintf(msg, sizeof msg, "%s: %s is a 3D figure (nn_plot_3d): give it"
             " grids and nn_plot_series3d() curves", who, p->gp_path);
    GSL_ERROR(msg, GSL_EINVAL);
  }
  return GSL_SUCCESS;
}

int
nn_plot_series(nn_plot *p, const char *legend, const double *x,
               const double *y, size_t n, const char *style)
{
  const char *who = "nn_plot_series";
  int status = check_open(who, p);
  if (status == GSL_SUCCESS)
    status = check_2d(who, p);
  if (status != GSL_SUCCESS)
    return status;
  if (n == 0) {
    char msg[1024];
    snprintf(msg, sizeof msg, "%s: the series has 0 points (for %s)", who, p->gp_path);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  if (x == NULL || y == NULL)
    GSL_ERROR("nn_plot_series: x and y must not be NULL", GSL_EINVAL);
  status = begin_block(who, p, BLOCK_CURVE, legend, style, "lines", n, "x y");
  if (status != GSL_SUCCESS)
    return status;
  for (size_t i = 0; i < n; i++) {
    put_number(p->dat, x[i]);
    fputc(' ', p->dat);
    put_number(p->dat, y[i]);
    fputc('\n', p->dat);
  }
  return end_block(who, p);
}

int
nn_plot_series_vector(nn_plot *p, const char *legend, const gsl_vector *x,
                      const gsl_vector *y, const char *style)
{
  const char *who = "nn_plot_series_vector";
  int status = check_open(who, p);
  if (status == GSL_SUCCESS)
    status = check_2d(who, p);
  if (status != GSL_SUCCESS)
    return status;
  if (x == NULL || y == NULL)
    GSL_ERROR("nn_plot_series_vector: x and y must not be NULL", GSL_EINVAL);
  char msg[1024];
  if (x->size != y->size) {
    snprintf(msg, sizeof msg, "%s: x has %zu entries but y has %zu (for %s)",
             who, x->size, y->size, p->gp_path);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  if (x->size == 0) {
    snprintf(msg, sizeof msg, "%s: the series has 0 points (for %s)", who, p->gp_path);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  status = begin_block(who, p, BLOCK_CURVE, legend, style, "lines", x->size, "x y");
  if (status != GSL_SUCCESS)
    return status;
  /* Element by element: the vectors may be strided views. */
  for (size_t i = 0; i < x->size; i++) {
    put_number(p->dat, gsl_vector_get(x, i));
    fputc(' ', p->dat);
    put_number(p->dat, gsl_vector_get(y, i));
    fputc('\n', p->dat);
  }
  return end_block(who, p);
}

int
nn_plot_series3d(nn_plot *p, const char *legend, const double *x,
                 const double *y, const double *z, size_t n, const char *style)
{
  const char *who = "nn_plot_series3d";
  char msg[1024];
  int status = check_open(who, p);
  if (status != GSL_SUCCESS)
    return status;
  if (!p->is_3d) {
    snprintf(msg, sizeof msg, "%s: %s is a 2D figure: call nn_plot_3d() before"
             " the first series", who, p->gp_path);
    GSL_ERROR(msg, GSL_EINVAL);
  }
  if (n == 0) {
    snprintf(msg, sizeof msg, "%s: the series has 0 points (for %s)", who, p->gp_path);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  if (x == NULL || y == NULL || z == NULL)
    GSL_ERROR("nn_plot_series3d: x, y and z must not be NULL", GSL_EINVAL);
  status = begin_block(who, p, BLOCK_CURVE3D, legend, style, "lines", n, "x y z");
  if (status != GSL_SUCCESS)
    return status;
  for (size_t i = 0; i < n; i++) {
    put_number(p->dat, x[i]);
    fputc(' ', p->dat);
    put_number(p->dat, y[i]);
    fputc(' ', p->dat);
    put_number(p->dat, z[i]);
    fputc('\n', p->dat);
  }
  return end_block(who, p);
}

/* A grid z(x_j, y_i) is written the way gnuplot reads surfaces and images:
 * rows "x_j y_i z_ij", j fastest, one scan line per y_i, scan lines
 * separated by one blank line (two would start a new block). */
int
nn_plot_grid(nn_plot *p, const char *legend, const gsl_vector *x,
             const gsl_vector *y, const gsl_matrix *z, const char *style)
{
  const char *who = "nn_plot_grid";
  char msg[1024];
  int status = check_open(who, p);
  if (status != GSL_SUCCESS)
    return status;
  if (x == NULL || y == NULL || z == NULL)
    GSL_ERROR("nn_plot_grid: x, y and z must not be NULL", GSL_EINVAL);
  if (z->size1 != y->size || z->size2 != x->size) {
    snprintf(msg, sizeof msg, "%s: z is %zux%zu but a grid of %zu y values by"
             " %zu x values needs z %zux%zu (for %s)", who, z->size1, z->size2,
             y->size, x->size, y->size, x->size, p->gp_path);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  if (x->size < 2 || y->size < 2) {
    snprintf(msg, sizeof msg, "%s: a grid needs at least 2x2 points, not %zu y"
             " by %zu x (for %s)", who, y->size, x->size, p->gp_path);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  status = begin_block(who, p, BLOCK_GRID, legend, style,
                       p->is_3d ? "pm3d" : "image", x->size * y->size,
                       "x y z: one scan line per y, scan lines separated by a blank line");
  if (status != GSL_SUCCESS)
    return status;
  for (size_t i = 0; i < y->size; i++) {
    if (i > 0)
      fputc('\n', p->dat);
    for (size_t j = 0; j < x->size; j++) {
      put_number(p->dat, gsl_vector_get(x, j));
      fputc(' ', p->dat);
      put_number(p->dat, gsl_vector_get(y, i));
      fputc(' ', p->dat);
      put_number(p->dat, gsl_matrix_get(z, i, j));
      fputc('\n', p->dat);
    }
  }
  return end_block(who, p);
}

/* Bars stand at x = 0, 1, ..., n-1 and the labels become the tic labels
 * there. The labels are kept by position: the first series to label a
 * position names it. They go into the script, not the data, because a
 * label may hold any character and the data file has no quoting rule. */
int
nn_plot_bars(nn_plot *p, const char *legend, const char *const *labels,
             const double *values, size_t n, const char *style)
{
  const char *who = "nn_plot_bars";
  char msg[1024];
  int status = check_open(who, p);
  if (status == GSL_SUCCESS && p->is_3d) {
    snprintf(msg, sizeof msg, "%s: %s is a 3D figure (nn_plot_3d): bars are"
             " drawn in 2D only", who, p->gp_path);
    GSL_ERROR(msg, GSL_EINVAL);
  }
  if (status != GSL_SUCCESS)
    return status;
  if (n == 0) {
    snprintf(msg, sizeof msg, "%s: the series has 0 bars (for %s)", who, p->gp_path);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  if (values == NULL)
    GSL_ERROR("nn_plot_bars: values must not be NULL", GSL_EINVAL);

  if (n > p->ntics) {  /* room for the labels, before anything is written */
    char **tics = realloc(p->tics, n * sizeof *tics);
    if (tics == NULL)
      GSL_ERROR("nn_plot_bars: out of memory", GSL_ENOMEM);
    for (size_t i = p->ntics; i < n; i++)
      tics[i] = NULL;
    p->tics = tics;
    p->ntics = n;
  }
  char columns[512];
  snprintf(columns, sizeof columns, "position value (the labels are the tic"
           " labels of %s.gp)", p->name);
  status = begin_block(who, p, BLOCK_BARS, legend, style, "boxes", n, columns);
  if (status != GSL_SUCCESS)
    return status;
  for (size_t i = 0; i < n; i++) {
    const char *label = labels != NULL ? labels[i] : NULL;
    if (label != NULL && p->tics[i] == NULL) {
      p->tics[i] = strdup(label);
      if (p->tics[i] == NULL)
        GSL_ERROR("nn_plot_bars: out of memory", GSL_ENOMEM);
    }
    if (values[i] < 0.0)
      p->bars_below_zero = 1;
    fprintf(p->dat, "%zu ", i);
    put_number(p->dat, values[i]);
    if (label != NULL) {  /* the label again, as a comment, for the reader */
      fputs(" # ", p->dat);
      put_comment_text(p->dat, label);
    }
    fputc('\n', p->dat);
  }
  return end_block(who, p);
}

/* ===== The script ===== */

/* The house style: a colour-blind-safe palette (Okabe and Ito), lines two
 * points wide, a light grid behind the data, and a key that stays out of
 * the way. Fonts and sizes belong to the terminal, set by the renderer. */
static const char *const line_colours[] = {
  "#0072b2", "#d55e00", "#009e73", "#cc79a7",
  "#e69f00", "#56b4e9", "#000000", "#999999"
};

static void
script_style(struct text *t, const nn_plot *p, int has_grid, int only_bars)
{
  size_t ncolours = sizeof line_colours / sizeof line_colours[0];
  text_printf(t, "# ---- Style: legible when projected ----\n");
  text_printf(t, "set encoding utf8\n");
  for (size_t k = 0; k < ncolours; k++)
    text_printf(t, "set linetype %zu lc rgb '%s' lw 2 pt 7 ps 1\n",
                k + 1, line_colours[k]);
  text_printf(t, "set linetype cycle %zu\n", ncolours);
  /* Heat maps: viridis, dark to light, readable in grey too. */
  text_printf(t, "set palette defined (0 '#440154', 0.25 '#3b528b', 0.5 '#21918c',"
              " 0.75 '#5ec962', 1 '#fde725')\n");
  /* A light grid behind the data; on the text terminal, where every line
   * type but 0 is drawn in solid characters, a grid of dots. Bars get
   * horizontal lines only. */
  const char *which = only_bars ? "noxtics ytics " : "";
  text_printf(t, "if (GPVAL_TERM eq 'dumb') {\n"
              "  set grid %sback lt 0\n"
              "} else {\n"
              "  set grid %sback lt 1 lw 1 lc rgb '%s'\n"
              "}\n", which, which, p->is_3d ? "#d0d0d0" : "#e0e0e0");
  if (p->is_3d) {
    /* The surface stands on the floor of the box. (No pm3d depthorder: it
     * would bury a curve drawn on the surface, such as a descent path.) */
    text_printf(t, "set xyplane relative 0\n");
    text_printf(t, "set key top right\n");
    return;
  }
  text_printf(t, "set border 3 lw 1.5 lc rgb '#404040'\n");
  text_printf(t, "set tics nomirror\n");
  if (has_grid)  /* a heat map has a colour box on the right: the key goes below */
    text_printf(t, "set key below\n");
  else
    text_printf(t, "set key outside right top Left reverse samplen 2.5 spacing 1.2\n");
}

/* Settings that follow from what the figure holds. */
static void
script_content(struct text *t, const nn_plot *p, int has_grid, size_t nbars,
               int only_bars)
{
  if (!has_grid && nbars == 0)
    return;
  text_printf(t, "\n# ---- From the content ----\n");
  if (has_grid) {
    text_printf(t, "set autoscale xfix\nset autoscale yfix\n");
    if (!p->is_3d)
      text_printf(t, "set border 15 lw 1.5 lc rgb '#404040'\n");
  }
  if (nbars > 0) {
    /* m bar series share each position: each gets a width 0.8/m. */
    text_printf(t, "set style fill solid 0.85 noborder\n");
    text_printf(t, "set boxwidth %.6g absolute\n", 0.8 / (double) nbars);
    text_printf(t, "set xtics (");
    for (size_t i = 0; i < p->ntics; i++) {  /* no label: the position */
      if (i > 0)
        text_printf(t, ", ");
      if (p->tics[i] != NULL)
        text_quote(t, p->tics[i]);
      else
        text_printf(t, "'%zu'", i);
      text_printf(t, " %zu", i);
    }
    text_printf(t, ") noenhanced scale 0\n");
    if (only_bars) {
      text_printf(t, "set xrange [-0.6:%.1f]\n", (double) p->ntics - 0.4);
      if (!p->bars_below_zero)
        text_printf(t, "set yrange [0:*]\n");
    }
  }
}

/* The clause of block k after its data: its columns, title and style. On
 * the text terminal a 3D curve is drawn by plot, in its (x, y) plane. */
static void
script_clause(struct text *t, const nn_plot *p, size_t k, size_t nbars, size_t *bar,
              int flat)
{
  const struct block *b = &p->blocks[k];
  switch (b->kind) {
  case BLOCK_CURVE:
    text_printf(t, "using 1:2 ");
    break;
  case BLOCK_CURVE3D:
  case BLOCK_GRID:
    text_printf(t, flat ? "using 1:2 " : "using 1:2:3 ");
    break;
  case BLOCK_BARS: {
    /* bar j of m at position i: i + (j - (m-1)/2) * 0.8/m */
    double shift = ((double) *bar - ((double) nbars - 1.0) / 2.0) * 0.8 / (double) nbars;
    if (shift == 0.0)
      text_printf(t, "using 1:2 ");
    else
      text_printf(t, "using ($1 %c %.6g):2 ", shift < 0 ? '-' : '+', fabs(shift));
    (*bar)++;
    break;
  }
  }
  if (b->legend != NULL) {
    text_printf(t, "title ");
    text_quote(t, b->legend);
    text_printf(t, " noenhanced ");
  } else {
    text_printf(t, "notitle ");
  }
  if (!flat) {
    text_printf(t, "with %s", b->style);
    return;
  }
  /* drawn flat by plot: without the words only splot knows */
  static const char *const only_3d[] = {"nocontours", "nohidden3d", "nosurface"};
  text_printf(t, "with");
  for (const char *w = b->style; *w != '\0';) {
    w += strspn(w, " ");
    size_t n = strcspn(w, " ");
    int skip = 0;
    for (size_t o = 0; o < sizeof only_3d / sizeof only_3d[0]; o++)
      skip |= n == strlen(only_3d[o]) && strncmp(w, only_3d[o], n) == 0;
    if (n > 0 && !skip)
      text_printf(t, " %.*s", (int) n, w);
    w += n;
  }
}

/* One plot clause per block. */
static void
script_plot(struct text *t, const nn_plot *p, size_t nbars, const char *indent)
{
  size_t bar = 0;
  text_printf(t, "%s%s \\\n", indent, p->is_3d ? "splot" : "plot");
  for (size_t k = 0; k < p->nblocks; k++) {
    text_printf(t, "%s  data index %zu ", indent, k);
    script_clause(t, p, k, nbars, &bar, 0);
    text_printf(t, "%s\n", k + 1 < p->nblocks ? ", \\" : "");
  }
}

/* The text terminal can draw neither an image nor a shaded surface: there a
 * grid becomes a contour map. gnuplot computes the contour lines of the
 * first grid into a data block (set table), then draws them flat, labelled
 * with their values, under the figure's other curves. (A second grid most
 * often shows the same data another way, so it is not drawn there.) */
static void
script_text_contours(struct text *t, const nn_plot *p, size_t nbars)
{
  const char *in = "  ";
  text_printf(t, "%sset contour base\n%sunset surface\n", in, in);
  if (p->settings.len == 0 || strstr(p->settings.s, "cntrparam") == NULL)
    text_printf(t, "%sset cntrparam levels auto %d\n", in, p->text_contours);
  size_t first = 0;  /* the first grid: the others most often draw the same
                       data another way (an image and its contour lines) */
  while (p->blocks[first].kind != BLOCK_GRID)
    first++;
  for (size_t k = first; k == first; k++) {
    text_printf(t, "%sset table $contours_%zu\n"
                "%ssplot data index %zu using 1:2:3 with lines notitle\n"
                "%sunset table\n", in, k, in, k, in);
  }
  text_printf(t, "%splot", in);
  size_t bar = 0;
  int clauses = 0;
  for (size_t k = 0; k < p->nblocks; k++) {
    const struct block *b = &p->blocks[k];
    if (b->kind == BLOCK_GRID && k != first)
      continue;
    text_printf(t, "%s\n%s  ", clauses++ > 0 ? ", \\" : " \\", in);
    if (b->kind == BLOCK_GRID) {
      text_printf(t, "$contours_%zu using 1:2 title ", k);
      char title[512];
      snprintf(title, sizeof title, "%s%scontours", b->legend ? b->legend : "",
               b->legend ? ": " : "");
      text_quote(t, title);
      text_printf(t, " noenhanced with lines, \\\n"
                  "%s  $contours_%zu using 1:2:(sprintf('%%.3g', $3)) every 40"
                  " notitle with labels", in, k);
    } else {
      text_printf(t, "data index %zu ", k);
      script_clause(t, p, k, nbars, &bar, 1);
    }
  }
  text_printf(t, "\n");
}

/* The caller's zero axes and grid lines, redrawn dotted on the text
 * terminal: there every line type but 0 is drawn with the characters of the
 * curves (type 1 with '*'), and a step function would stand on an axis of
 * its own stars. Other terminals keep the caller's line. */
static void
script_text_axes(struct text *t, const nn_plot *p)
{
  static const char *const axes[] = {
    "zeroaxis", "xzeroaxis", "yzeroaxis", "x2zeroaxis", "y2zeroaxis", "zzeroaxis"
  };
  int any = 0;
  for (const char *line = p->settings.s; line != NULL && *line != '\0';) {
    const char *end = strchr(line, '\n');
    size_t n = end != NULL ? (size_t) (end - line) : strlen(line);
    if (strncmp(line, "set ", 4) == 0) {
      const char *word = line + 4;
      size_t w = strcspn(word, " \t\n");
      const char *redraw = NULL;
      for (size_t a = 0; a < sizeof axes / sizeof axes[0]; a++)
        if (w == strlen(axes[a]) && strncmp(word, axes[a], w) == 0)
          redraw = axes[a];
      if (redraw == NULL && w == 4 && strncmp(word, "grid", 4) == 0)
        redraw = "grid";
      if (redraw != NULL) {
        if (!any)
          text_printf(t, "# On the text terminal the curves are drawn with '*':"
                      " axes and grid with dots.\nif (GPVAL_TERM eq 'dumb') {\n");
        any = 1;
        text_printf(t, "  set %s lt 0\n", redraw);
      }
    }
    line += n + (end != NULL);
  }
  if (any)
    text_printf(t, "}\n");
}

int
nn_plot_text_contours(nn_plot *p, int levels)
{
  char msg[1024];
  int status = check_open("nn_plot_text_contours", p);
  if (status != GSL_SUCCESS)
    return status;
  if (levels < 0 || levels > 30) {
    snprintf(msg, sizeof msg, "nn_plot_text_contours: %d levels is not between"
             " 0 and 30 (for %s)", levels, p->gp_path);
    GSL_ERROR(msg, GSL_EINVAL);
  }
  p->text_contours = levels;
  return GSL_SUCCESS;
}

int
nn_plot_write(nn_plot *p)
{
  char msg[1024];
  if (p == NULL)
    GSL_ERROR("nn_plot_write: the figure must not be NULL", GSL_EINVAL);
  if (p->written)
    return GSL_SUCCESS;
  if (p->nblocks == 0) {
    snprintf(msg, sizeof msg, "nn_plot_write: %s has no series to plot", p->gp_path);
    GSL_ERROR(msg, GSL_EINVAL);
  }

  /* The data is complete: close it, and find out whether it all reached
   * the disk (buffered writes report their errors here). */
  if (p->dat != NULL) {
    int bad = ferror(p->dat);
    int e = errno;
    if (fclose(p->dat) != 0) {
      bad = 1;
      e = errno;
    }
    p->dat = NULL;
    if (bad) {
      snprintf(msg, sizeof msg, "nn_plot_write: cannot write %s: %s",
               p->dat_path, strerror(e));
      GSL_ERROR(msg, GSL_EFAILED);
    }
  }

  int has_grid = 0;
  size_t nbars = 0;
  for (size_t k = 0; k < p->nblocks; k++) {
    has_grid |= p->blocks[k].kind == BLOCK_GRID;
    nbars += p->blocks[k].kind == BLOCK_BARS;
  }
  int only_bars = nbars == p->nblocks;

  struct text t = {NULL, 0, 0, 0};
  text_printf(&t,
              "# %s.gp: the figure %s, a gnuplot script written by nncourse.\n"
              "#\n"
              "# The data is in %s.dat, one block per series (`index k`). The\n"
              "# script sets no terminal: choose one when you run it, in this folder:\n"
              "#   gnuplot -e \"set terminal svg; set output '%s.svg'\" %s.gp\n"
              "#   gnuplot -e \"set terminal dumb\" %s.gp\n"
              "\n"
              "data = '%s.dat'\n\n",
              p->name, p->name, p->name, p->name, p->name, p->name, p->name);
  script_style(&t, p, has_grid, only_bars);
  script_content(&t, p, has_grid, nbars, only_bars);
  if (p->title != NULL || p->xlabel != NULL || p->ylabel != NULL
      || p->settings.len > 0) {
    text_printf(&t, "\n# ---- This figure ----\n");
    if (p->title != NULL) {
      text_printf(&t, "set title ");
      text_quote(&t, p->title);
      text_printf(&t, " noenhanced font ',16'\n");
    }
    if (p->xlabel != NULL) {
      text_printf(&t, "set xlabel ");
      text_quote(&t, p->xlabel);
      text_printf(&t, " noenhanced\n");
    }
    if (p->ylabel != NULL) {
      text_printf(&t, "set ylabel ");
      text_quote(&t, p->ylabel);
      text_printf(&t, " noenhanced\n");
    }
    if (p->settings.len > 0)
      text_printf(&t, "%s", p->settings.s);
    script_text_axes(&t, p);
  }
  if (has_grid && p->text_contours > 0) {
    text_printf(&t, "\nif (GPVAL_TERM eq 'dumb') {\n");
    script_text_contours(&t, p, nbars);
    text_printf(&t, "} else {\n");
    script_plot(&t, p, nbars, "  ");
    text_printf(&t, "}\n");
  } else {
    text_printf(&t, "\n");
    script_plot(&t, p, nbars, "");
  }
  if (t.no_memory) {
    free(t.s);
    GSL_ERROR("nn_plot_write: out of memory", GSL_ENOMEM);
  }

  FILE *f = fopen(p->gp_path, "we");
  if (f == NULL) {
    snprintf(msg, sizeof msg, "nn_plot_write: cannot write %s: %s",
             p->gp_path, strerror(errno));
    free(t.s);
    GSL_ERROR(msg, GSL_EFAILED);
  }
  int bad = fwrite(t.s, 1, t.len, f) != t.len;
  int e = errno;
  if (fclose(f) != 0 && !bad) {
    bad = 1;
    e = errno;
  }
  free(t.s);
  if (bad) {
    snprintf(msg, sizeof msg, "nn_plot_write: cannot write %s: %s",
             p->gp_path, strerror(e));
    GSL_ERROR(msg, GSL_EFAILED);
  }
  p->written = 1;
  return GSL_SUCCESS;
}

/* ===== Rendering =====
 *
 * gnuplot runs in the figure's folder (the script names its data without a
 * folder) with the terminal and output given on its command line:
 *
 *   gnuplot -e "set terminal ...; set output 'NAME.svg'" NAME.gp
 *
 * The name is a plain stem (letters, digits, - _ .), so it is safe inside
 * the quotes; no shell is involved.
 */

/* The terminal and output file of a rendering format, or GSL_EINVAL. */
static int
render_terminal(const char *who, const nn_plot *p, const char *format,
                const char **terminal, const char **path)
{
  char msg[1024];
  if (format != NULL && strcmp(format, "svg") == 0) {
    *terminal = "svg size 960,600 dynamic enhanced font 'Sans,14' background '#ffffff'";
    *path = p->svg_path;
  } else if (format != NULL && strcmp(format, "png") == 0) {
    /* linewidth 1.5: cairo draws thinner lines than SVG viewers at this size */
    *terminal = "pngcairo size 1280,800 enhanced font 'Sans,14' background '#ffffff'"
                " linewidth 1.5";
    *path = p->png_path;
  } else {
    snprintf(msg, sizeof msg, "%s: the format must be \"svg\" or"
             " \"png\", not \"%.40s\" (for %s)", who, format != NULL ? format : "(null)",
             p->gp_path);
    GSL_ERROR(msg, GSL_EINVAL);
  }
  return GSL_SUCCESS;
}

/* gnuplot exits 0 after some failures that leave no picture. */
static int
check_rendered(const char *who, const char *path)
{
  struct stat st;
  if (stat(path, &st) != 0 || st.st_size == 0) {
    char msg[1024];
    snprintf(msg, sizeof msg, "%s: gnuplot ran but %s is missing or empty", who, path);
    GSL_ERROR(msg, GSL_EFAILED);
  }
  return GSL_SUCCESS;
}

int
nn_plot_render(nn_plot *p, const char *format)
{
  if (p == NULL)
    GSL_ERROR("nn_plot_render: the figure must not be NULL", GSL_EINVAL);
  const char *terminal, *path;
  int status = render_terminal("nn_plot_render", p, format, &terminal, &path);
  if (status != GSL_SUCCESS)
    return status;
  status = nn_plot_write(p);
  if (status != GSL_SUCCESS)
    return status;

  size_t size = strlen(terminal) + strlen(p->name) + 64;
  char *command = malloc(size);
  char *script = malloc(strlen(p->name) + 4);
  if (command == NULL || script == NULL) {
    free(command);
    free(script);
    GSL_ERROR("nn_plot_render: out of memory", GSL_ENOMEM);
  }
  snprintf(command, size, "set terminal %s; set output '%s.%s'", terminal,
           p->name, format);
  sprintf(script, "%s.gp", p->name);
  const char *args[] = {"-e", command, script, NULL};
  status = nn_spawn_run("nn_plot_render", &gnuplot, p->dir, p->gp_path, args, NULL);
  free(command);
  free(script);
  if (status != GSL_SUCCESS)
    return status;
  return check_rendered("nn_plot_render", path);
}

/* The dumb terminal starts its page with a form feed and pads every line
 * with spaces to the full width; both are dropped, the line count stays. */
static void
tidy_ascii(char *s)
{
  char *r = s, *w = s;
  if (*r == '\f')
    r++;
  while (*r != '\0') {
    char *end = strchr(r, '\n');
    size_t len = end != NULL ? (size_t) (end - r) : strlen(r);
    size_t keep = len;
    while (keep > 0 && r[keep - 1] == ' ')
      keep--;
    memmove(w, r, keep);
    w += keep;
    if (end == NULL)
      break;
    *w++ = '\n';
    r = end + 1;
  }
  *w = '\0';
}

/* The checks of the arguments every text rendering shares. */
static int
check_ascii(const char *who, const nn_plot *p, int cols, int rows, char **text)
{
  char msg[1024];
  if (text != NULL)
    *text = NULL;
  if (p == NULL || text == NULL) {
    snprintf(msg, sizeof msg, "%s: the figure and text must not be NULL", who);
    GSL_ERROR(msg, GSL_EINVAL);
  }
  if (cols < 20 || cols > 1000 || rows < 8 || rows > 1000) {
    snprintf(msg, sizeof msg, "%s: %d x %d characters is not a"
             " useful size (columns 20..1000, rows 8..1000; for %s)",
             who, cols, rows, p->gp_path);
    GSL_ERROR(msg, GSL_EINVAL);
  }
  return GSL_SUCCESS;
}

int
nn_plot_ascii(nn_plot *p, int cols, int rows, char **text)
{
  char msg[1024];
  int status = check_ascii("nn_plot_ascii", p, cols, rows, text);
  if (status != GSL_SUCCESS)
    return status;
  status = nn_plot_write(p);
  if (status != GSL_SUCCESS)
    return status;

  char command[128];
  snprintf(command, sizeof command, "set terminal dumb size %d,%d; set output",
           cols, rows);
  char *script = malloc(strlen(p->name) + 4);
  if (script == NULL)
    GSL_ERROR("nn_plot_ascii: out of memory", GSL_ENOMEM);
  sprintf(script, "%s.gp", p->name);
  const char *args[] = {"-e", command, script, NULL};
  char *out = NULL;
  status = nn_spawn_run("nn_plot_ascii", &gnuplot, p->dir, p->gp_path, args, &out);
  free(script);
  if (status != GSL_SUCCESS)
    return status;
  tidy_ascii(out);
  if (out[0] == '\0') {
    free(out);
    snprintf(msg, sizeof msg, "nn_plot_ascii: gnuplot drew nothing for %s", p->gp_path);
    GSL_ERROR(msg, GSL_EFAILED);
  }
  *text = out;
  return GSL_SUCCESS;
}

/* ===== One gnuplot for many figures =====
 *
 * Starting gnuplot takes longer than drawing most figures. A session keeps
 * one gnuplot running, started at its first drawing, and feeds it every job
 * through its standard input. A job reads:
 *
 *   reset session                      nothing of the last figure is left
 *   set print '-'                      `print` writes to standard output
 *   cd '/the/figure/folder'            an absolute path, quoted for gnuplot
 *   set terminal ...; set output '...' (the text terminal: standard output)
 *   load 'NAME.gp'
 *   set output                         closes the picture
 *   print 'nncourse-plot-done-7'       the job's number
 *
 * and the session reads gnuplot's standard output up to that last line:
 * what comes before it is the text drawing. gnuplot reading a pipe does not
 * stop at an error; it reports it on standard error, which the session
 * reads alongside, and goes on with the next command, so an error fails the
 * job and the session carries on. When gnuplot dies, the job fails and the
 * next one starts a new gnuplot.
 */

struct nn_plot_session {
  nn_spawn_process proc;  /* pid -1: not running */
  unsigned jobs;          /* jobs sent, which numbers the next marker */
};

nn_plot_session *
nn_plot_session_alloc(void)
{
  nn_plot_session *s = calloc(1, sizeof *s);
  if (s == NULL)
    GSL_ERROR_NULL("nn_plot_session_alloc: out of memory", GSL_ENOMEM);
  s->proc = (nn_spawn_process) {-1, -1, -1, -1};
  return s;
}

void
nn_plot_session_free(nn_plot_session *s)
{
  if (s == NULL)
    return;
  nn_spawn_stop(&s->proc);
  free(s);
}

/* Write all of buf to fd; -1 when gnuplot is gone. */
static int
write_all(int fd, const char *buf, size_t n)
{
  while (n > 0) {
    ssize_t w = write(fd, buf, n);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return -1;
    buf += w;
    n -= (size_t) w;
  }
  return 0;
}

/* 1 when standard error holds an error, not only warnings: gnuplot's
 * messages end in `line N: what`, and warnings say "warning:". */
static int
has_error(const char *err)
{
  for (const char *line = err; *line != '\0';) {
    size_t n = strcspn(line, "\n");
    const char *at = line;
    while ((at = strstr(at, "line ")) != NULL && at < line + n) {
      const char *d = at + 5;
      while (*d >= '0' && *d <= '9')
        d++;
      if (d > at + 5 && *d == ':') {
        char *copy = strndup(line, n);
        int warning = copy == NULL || strstr(copy, "warning:") != NULL;
        free(copy);
        if (!warning)
          return 1;
      }
      at += 5;
    }
    line += n + (line[n] == '\n');
  }
  return 0;
}

/* Run one job on p: TERMINAL, output to PATH (NULL: standard output, whose
 * text goes to *text when text is not NULL). */
static int
session_job(const char *who, nn_plot_session *s, nn_plot *p, const char *terminal,
            const char *path, char **text)
{
  char msg[2048];
  int status = nn_plot_write(p);
  if (status != GSL_SUCCESS)
    return status;
  char *folder = realpath(p->dir, NULL);
  if (folder == NULL) {
    snprintf(msg, sizeof msg, "%s: cannot find the folder %s: %s", who, p->dir,
             strerror(errno));
    GSL_ERROR(msg, GSL_EFAILED);
  }
  if (strpbrk(folder, "\n\r") != NULL) {
    snprintf(msg, sizeof msg, "%s: the folder %s holds a line break, which a"
             " gnuplot command cannot", who, p->dir);
    free(folder);
    GSL_ERROR(msg, GSL_EINVAL);
  }
  if (s->proc.pid > 0 && waitpid((pid_t) s->proc.pid, NULL, WNOHANG) != 0) {
    s->proc.pid = -1;  /* it has ended: reaped here, so only close the pipes */
    close(s->proc.in);
    close(s->proc.out);
    close(s->proc.err);
    s->proc = (nn_spawn_process) {-1, -1, -1, -1};
  }
  if (s->proc.pid <= 0) {
    status = nn_spawn_start(who, &gnuplot, p->gp_path, &s->proc);
    if (status != GSL_SUCCESS) {
      free(folder);
      return status;
    }
  }

  unsigned job = ++s->jobs;
  char marker[64];
  snprintf(marker, sizeof marker, "nncourse-plot-done-%u\n", job);
  struct text cmd = {NULL, 0, 0, 0};
  text_printf(&cmd, "reset session\nset print '-'\ncd ");
  text_quote(&cmd, folder);
  text_printf(&cmd, "\nset terminal %s\n", terminal);
  if (path != NULL) {
    const char *base = strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 : path;
    text_printf(&cmd, "set output ");
    text_quote(&cmd, base);
    text_printf(&cmd, "\n");
  } else {
    text_printf(&cmd, "set output\n");
  }
  text_printf(&cmd, "load ");
  text_quote(&cmd, strrchr(p->gp_path, '/') ? strrchr(p->gp_path, '/') + 1 : p->gp_path);
  text_printf(&cmd, "\nset output\nprint '%.*s'\n", (int) strlen(marker) - 1, marker);
  free(folder);
  if (cmd.no_memory) {
    free(cmd.s);
    snprintf(msg, sizeof msg, "%s: out of memory", who);
    GSL_ERROR(msg, GSL_ENOMEM);
  }
  int sent = write_all(s->proc.in, cmd.s, cmd.len);
  free(cmd.s);

  /* Read standard output up to the marker, and standard error meanwhile. */
  struct text out = {NULL, 0, 0, 0};
  char err[NN_SPAWN_ERROR_MAX + 1];
  size_t errlen = 0, mlen = strlen(marker);
  int done = 0, gone = sent != 0;
  struct pollfd fds[2] = {{s->proc.out, POLLIN, 0}, {s->proc.err, POLLIN, 0}};
  while (!done && !gone) {
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR)
        continue;
      gone = 1;
      break;
    }
    for (int k = 0; k < 2 && !gone; k++) {
      if (fds[k].revents == 0)
        continue;
      char buf[8192];
      ssize_t n = read(fds[k].fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0) {
        gone = 1;
        break;
      }
      if (k == 1) {
        size_t keep = (size_t) n < NN_SPAWN_ERROR_MAX - errlen
                      ? (size_t) n : NN_SPAWN_ERROR_MAX - errlen;
        memcpy(err + errlen, buf, keep);
        errlen += keep;
        continue;
      }
      if (out.len + (size_t) n > NN_SPAWN_OUTPUT_MAX) {
        gone = 1;  /* a runaway: stop this gnuplot */
        break;
      }
      text_printf(&out, "%.*s", (int) n, buf);
      if (out.no_memory) {
        gone = 1;
        break;
      }
      done = out.len >= mlen && strcmp(out.s + out.len - mlen, marker) == 0;
    }
  }
  /* An error is on standard error before the marker is on standard output:
   * read what is there without waiting. */
  while (done && errlen < NN_SPAWN_ERROR_MAX) {
    struct pollfd e = {s->proc.err, POLLIN, 0};
    if (poll(&e, 1, 0) <= 0)
      break;
    ssize_t n = read(s->proc.err, err + errlen, NN_SPAWN_ERROR_MAX - errlen);
    if (n <= 0)
      break;
    errlen += (size_t) n;
  }
  err[errlen] = '\0';

  if (!done) {
    int wstatus = nn_spawn_stop(&s->proc);
    free(out.s);
    snprintf(msg, sizeof msg, "%s: gnuplot stopped while drawing %s", who, p->gp_path);
    if (wstatus >= 0 && WIFSIGNALED(wstatus))
      snprintf(msg + strlen(msg), sizeof msg - strlen(msg), " (signal %d)",
               WTERMSIG(wstatus));
    else if (wstatus >= 0 && WIFEXITED(wstatus))
      snprintf(msg + strlen(msg), sizeof msg - strlen(msg), " (exit status %d)",
               WEXITSTATUS(wstatus));
    if (errlen > 0)
      snprintf(msg + strlen(msg), sizeof msg - strlen(msg), ":\n  %.600s", err);
    GSL_ERROR(msg, GSL_EFAILED);
  }
  if (has_error(err)) {
    free(out.s);
    snprintf(msg, sizeof msg, "%s: gnuplot failed on %s:\n  %.600s", who,
             p->gp_path, err);
    GSL_ERROR(msg, GSL_EFAILED);
  }
  out.s[out.len - mlen] = '\0';
  if (text != NULL)
    *text = out.s;
  else
    free(out.s);
  return GSL_SUCCESS;
}

int
nn_plot_session_render(nn_plot_session *s, nn_plot *p, const char *format)
{
  const char *who = "nn_plot_session_render";
  if (s == NULL || p == NULL)
    GSL_ERROR("nn_plot_session_render: the session and figure must not be NULL",
              GSL_EINVAL);
  const char *terminal, *path;
  int status = render_terminal(who, p, format, &terminal, &path);
  if (status == GSL_SUCCESS)
    status = session_job(who, s, p, terminal, path, NULL);
  if (status != GSL_SUCCESS)
    return status;
  return check_rendered(who, path);
}

int
nn_plot_session_ascii(nn_plot_session *s, nn_plot *p, int cols, int rows, char **text)
{
  const char *who = "nn_plot_session_ascii";
  char msg[1024];
  int status = check_ascii(who, p, cols, rows, text);
  if (status != GSL_SUCCESS)
    return status;
  if (s == NULL)
    GSL_ERROR("nn_plot_session_ascii: the session must not be NULL", GSL_EINVAL);
  char terminal[64];
  snprintf(terminal, sizeof terminal, "dumb size %d,%d", cols, rows);
  char *out = NULL;
  status = session_job(who, s, p, terminal, NULL, &out);
  if (status != GSL_SUCCESS)
    return status;
  tidy_ascii(out);
  if (out[strspn(out, "\n")] == '\0') {
    free(out);
    snprintf(msg, sizeof msg, "%s: gnuplot drew nothing for %s", who, p->gp_path);
    GSL_ERROR(msg, GSL_EFAILED);
  }
  *text = out;
  return GSL_SUCCESS;
}

/* ===== A heat map in characters =====
 *
 * Where no terminal is at hand, or a map reads better shaded than as
 * contours: each character stands for the nearest grid value, its ink
 * growing with the value in ten equal steps of the range. */

static const char shades[] = " .:-=+*#%@";

int
nn_plot_shade_ascii(const gsl_vector *x, const gsl_vector *y, const gsl_matrix *z,
                    int cols, int rows, char **text)
{
  const char *who = "nn_plot_shade_ascii";
  char msg[1024];
  if (text != NULL)
    *text = NULL;
  if (x == NULL || y == NULL || z == NULL || text == NULL)
    GSL_ERROR("nn_plot_shade_ascii: x, y, z and text must not be NULL", GSL_EINVAL);
  if (z->size1 != y->size || z->size2 != x->size || x->size < 2 || y->size < 2) {
    snprintf(msg, sizeof msg, "%s: z is %zux%zu but a grid of %zu y values by"
             " %zu x values needs z %zux%zu, at least 2x2", who, z->size1, z->size2,
             y->size, x->size, y->size, x->size);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  if (cols < 4 || cols > 1000 || rows < 2 || rows > 1000) {
    snprintf(msg, sizeof msg, "%s: %d x %d characters is not a useful size"
             " (columns 4..1000, rows 2..1000)", who, cols, rows);
    GSL_ERROR(msg, GSL_EINVAL);
  }
  double lo = INFINITY, hi = -INFINITY;
  for (size_t i = 0; i < z->size1; i++)
    for (size_t j = 0; j < z->size2; j++) {
      double v = gsl_matrix_get(z, i, j);
      if (isfinite(v)) {
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
      }
    }
  struct text t = {NULL, 0, 0, 0};
  /* Row 0 of the text is the largest y: up is up. */
  for (int r = 0; r < rows; r++) {
    size_t i = (size_t) lround((double) (rows - 1 - r) * (double) (y->size - 1)
                               / (double) (rows - 1));
    text_printf(&t, "  |");
    for (int c = 0; c < cols; c++) {
      size_t j = (size_t) lround((double) c * (double) (x->size - 1) / (double) (cols - 1));
      double v = gsl_matrix_get(z, i, j);
      char ch = '?';
      if (isfinite(v)) {
        int k = hi > lo ? (int) floor((v - lo) / (hi - lo) * 10.0) : 0;
        ch = shades[k < 0 ? 0 : k > 9 ? 9 : k];
      }
      text_printf(&t, "%c", ch);
    }
    text_printf(&t, "|\n");
  }
  text_printf(&t, "  x from %.4g (left) to %.4g (right), y from %.4g (bottom) to %.4g"
              " (top)\n", gsl_vector_get(x, 0), gsl_vector_get(x, x->size - 1),
              gsl_vector_get(y, 0), gsl_vector_get(y, y->size - 1));
  if (isfinite(lo))
    text_printf(&t, "  value: \"%s\" from %.4g (blank) to %.4g (@), each character"
                " a tenth of the range%s\n", shades, lo, hi,
                hi > lo ? "" : " (all values equal)");
  else
    text_printf(&t, "  value: no finite value to shade\n");
  if (t.no_memory) {
    free(t.s);
    GSL_ERROR("nn_plot_shade_ascii: out of memory", GSL_ENOMEM);
  }
  *text = t.s;
  return GSL_SUCCESS;
}

const char *
nn_plot_path(nn_plot *p, const char *ext)
{
  if (p == NULL || ext == NULL)
    GSL_ERROR_NULL("nn_plot_path: the figure and ext must not be NULL", GSL_EINVAL);
  if (strcmp(ext, "gp") == 0)
    return p->gp_path;
  if (strcmp(ext, "dat") == 0)
    return p->dat_path;
  if (strcmp(ext, "svg") == 0)
    return p->svg_path;
  if (strcmp(ext, "png") == 0)
    return p->png_path;
  char msg[256];
  snprintf(msg, sizeof msg, "nn_plot_path: a figure has no \"%.40s\" file (gp,"
           " dat, svg or png)", ext);
  GSL_ERROR_NULL(msg, GSL_EINVAL);
}

int
nn_plot_gnuplot_available(void)
{
  return nn_spawn_available(&gnuplot);
}
