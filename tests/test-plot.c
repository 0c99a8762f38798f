/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of nn/plot.h: the data and script of a figure, rendering by gnuplot,
 * and every error path.
 *
 * Figures go to $NN_TOP_BUILDDIR/tests/out/plot/. The tests that need the
 * gnuplot program come last; without it the others still run, and the
 * program then exits 77 (skipped) rather than claim a pass it did not earn.
 */
#include "nntest.h"
#include "figuretest.h"

#include <stdlib.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>
#include <nn/plot.h>

/* ===== Helpers ===== */

static const char *out_dir;  /* where the figures go: tests/out/plot */

/* No line of the text begins with start (comments may mention it). */
static void
assert_no_line_starts(const char *text, const char *start)
{
  for (const char *p = text; p != NULL; p = strchr(p, '\n')) {
    if (*p == '\n')
      p++;
    if (strncmp(p, start, strlen(start)) == 0)
      fail_msg("a line begins with \"%s\":\n%s", start, text);
  }
}

/* Block k of a .dat file, parsed back: the numbers of its rows, row after
 * row, into vals (at most max); *rows and *cols say their shape (every row
 * must have the same number of columns); *scans counts the single blank
 * lines inside the block (a grid's scan-line breaks). Blocks are separated
 * by two or more blank lines; comment lines are skipped. */
static void
dat_block(const char *text, size_t k, double *vals, size_t max, size_t *rows,
          size_t *cols, size_t *scans)
{
  size_t block = 0, blanks = 0, n = 0;
  int seen_row = 0;
  *rows = 0;
  *cols = 0;
  *scans = 0;
  for (const char *line = text; *line != '\0';) {
    const char *end = strchr(line, '\n');
    size_t len = end != NULL ? (size_t) (end - line) : strlen(line);
    if (len == 0) {
      blanks++;
    } else if (line[0] != '#') {
      if (blanks >= 2 && seen_row)
        block++;
      else if (blanks == 1 && block == k && seen_row)
        (*scans)++;
      blanks = 0;
      seen_row = 1;
      if (block == k) {
        char buf[512];
        snprintf(buf, sizeof buf, "%.*s", (int) len, line);
        char *hash = strchr(buf, '#');  /* a trailing comment */
        if (hash != NULL)
          *hash = '\0';
        size_t c = 0;
        char *p = buf, *q;
        for (;;) {
          double v = strtod(p, &q);
          if (q == p)
            break;
          assert_true(n < max);
          vals[n++] = v;
          c++;
          p = q;
        }
        if (*rows > 0)
          assert_int_equal(c, *cols);
        *cols = c;
        (*rows)++;
      }
    } else {
      /* a comment line does not end a run of blank lines */
    }
    if (end == NULL)
      break;
    line = end + 1;
  }
}

/* A figure in the output folder; its files are removed first, so a test
 * never sees what an earlier run left. */
static nn_plot *
new_plot(const char *name)
{
  static const char *const exts[] = {"dat", "gp", "svg", "png", NULL};
  ft_remove(out_dir, name, exts);
  nn_plot *p = nn_plot_alloc(out_dir, name);
  if (p == NULL)
    fail_msg("nn_plot_alloc(%s, %s) failed: %s", out_dir, name, nn_test_last_error);
  return p;
}

/* A small figure with two curves, used by several tests. */
static nn_plot *
two_curves(const char *name)
{
  double x[] = {-1.5, 0.0, 2.385, 4.0};
  double y[] = {0.25, -3.125, 1.0e-7, 12.5};
  nn_plot *p = new_plot(name);
  assert_int_equal(nn_plot_title(p, "Two curves"), GSL_SUCCESS);
  assert_int_equal(nn_plot_labels(p, "x", "y"), GSL_SUCCESS);
  assert_int_equal(nn_plot_series(p, "first", x, y, 4, NULL), GSL_SUCCESS);
  assert_int_equal(nn_plot_series(p, NULL, y, x, 4, "points pt 7"), GSL_SUCCESS);
  return p;
}

/* ===== The data file ===== */

static void
dat_holds_each_series_as_a_block(void **state)
{
  (void) state;
  double x[] = {-1.5, 0.0, 2.385, 4.0, 7.25};
  double y[] = {0.25, -3.125, NAN, 1.0e-7, INFINITY};
  double va[] = {3.5, -2.0, 0.125}, vb[] = {10.0, 20.5, 30.25};
  gsl_vector_view u = gsl_vector_view_array(va, 3), v = gsl_vector_view_array(vb, 3);
  nn_plot *p = new_plot("dat-blocks");
  assert_int_equal(nn_plot_series(p, "loss (train)", x, y, 5, NULL), GSL_SUCCESS);
  assert_int_equal(nn_plot_series_vector(p, "from vectors", &u.vector, &v.vector,
                                         "linespoints"), GSL_SUCCESS);
  assert_int_equal(nn_plot_write(p), GSL_SUCCESS);

  char *dat = ft_slurp(nn_plot_path(p, "dat"));
  double vals[64];
  size_t rows, cols, scans;
  dat_block(dat, 0, vals, 64, &rows, &cols, &scans);
  assert_int_equal(rows, 5);
  assert_int_equal(cols, 2);
  for (size_t i = 0; i < 5; i++) {
    assert_close(vals[2 * i], x[i], 1e-14);
    if (isfinite(y[i]))
      assert_close(vals[2 * i + 1], y[i], 1e-14);
    else  /* NaN and infinity are both written as NaN: a gap */
      assert_true(isnan(vals[2 * i + 1]));
  }
  dat_block(dat, 1, vals, 64, &rows, &cols, &scans);
  assert_int_equal(rows, 3);
  assert_int_equal(cols, 2);
  for (size_t i = 0; i < 3; i++) {
    assert_close(vals[2 * i], va[i], 1e-14);
    assert_close(vals[2 * i + 1], vb[i], 1e-14);
  }
  dat_block(dat, 2, vals, 64, &rows, &cols, &scans);
  assert_int_equal(rows, 0);  /* two series, two blocks */
  assert_contains(dat, "# series 1 (index 0): loss (train)\n");
  assert_contains(dat, "# series 2 (index 1): from vectors\n");
  assert_contains(dat, "\n\n\n# series 2");  /* two blank lines between blocks */
  free(dat);
  nn_plot_free(p);
}

/* A strided view is read element by element, not as a packed array. */
static void
series_vector_reads_strided_views(void **state)
{
  (void) state;
  double m[] = {1.0, 100.0, 2.0, 200.0, 3.0, 300.0};
  gsl_matrix_view mv = gsl_matrix_view_array(m, 3, 2);
  gsl_vector_view c0 = gsl_matrix_column(&mv.matrix, 0);
  gsl_vector_view c1 = gsl_matrix_column(&mv.matrix, 1);
  nn_plot *p = new_plot("dat-strided");
  assert_int_equal(nn_plot_series_vector(p, "c", &c0.vector, &c1.vector, NULL), GSL_SUCCESS);
  assert_int_equal(nn_plot_write(p), GSL_SUCCESS);
  char *dat = ft_slurp(nn_plot_path(p, "dat"));
  double vals[16];
  size_t rows, cols, scans;
  dat_block(dat, 0, vals, 16, &rows, &cols, &scans);
  assert_int_equal(rows, 3);
  for (size_t i = 0; i < 3; i++) {
    assert_close(vals[2 * i], m[2 * i], 0.0);
    assert_close(vals[2 * i + 1], m[2 * i + 1], 0.0);
  }
  free(dat);
  nn_plot_free(p);
}

/* z(x_j, y_i) = 10 i + j + 0.5, so every value says where it belongs. */
static void
grid_is_written_as_scan_lines(void **state)
{
  (void) state;
  gsl_vector *x = gsl_vector_alloc(4), *y = gsl_vector_alloc(3);
  gsl_matrix *z = gsl_matrix_alloc(3, 4);
  for (size_t j = 0; j < 4; j++)
    gsl_vector_set(x, j, -1.5 + 0.75 * (double) j);
  for (size_t i = 0; i < 3; i++)
    gsl_vector_set(y, i, 2.0 + 0.5 * (double) i);
  for (size_t i = 0; i < 3; i++)
    for (size_t j = 0; j < 4; j++)
      gsl_matrix_set(z, i, j, 10.0 * (double) i + (double) j + 0.5);

  nn_plot *p = new_plot("grid-2d");
  assert_int_equal(nn_plot_grid(p, NULL, x, y, z, NULL), GSL_SUCCESS);
  double tx[] = {-1.5, 0.0}, ty[] = {2.0, 3.0};
  assert_int_equal(nn_plot_series(p, "path", tx, ty, 2, "linespoints"), GSL_SUCCESS);
  assert_int_equal(nn_plot_write(p), GSL_SUCCESS);

  char *dat = ft_slurp(nn_plot_path(p, "dat"));
  double vals[64];
  size_t rows, cols, scans;
  dat_block(dat, 0, vals, 64, &rows, &cols, &scans);
  assert_int_equal(rows, 12);
  assert_int_equal(cols, 3);
  assert_int_equal(scans, 2);  /* 3 scan lines: 2 breaks */
  for (size_t i = 0; i < 3; i++)
    for (size_t j = 0; j < 4; j++) {
      const double *row = vals + 3 * (4 * i + j);  /* x fastest */
      assert_close(row[0], gsl_vector_get(x, j), 1e-15);
      assert_close(row[1], gsl_vector_get(y, i), 1e-15);
      assert_close(row[2], gsl_matrix_get(z, i, j), 1e-15);
    }
  dat_block(dat, 1, vals, 64, &rows, &cols, &scans);
  assert_int_equal(rows, 2);
  free(dat);

  char *gp = ft_slurp(nn_plot_path(p, "gp"));
  /* the plot for SVG and PNG; the text terminal draws contours instead */
  assert_has_line(gp, "    data index 0 using 1:2:3 notitle with image, \\");
  assert_has_line(gp, "    data index 1 using 1:2 title 'path' noenhanced with linespoints");
  assert_contains(gp, "\n} else {\n  plot \\\n");
  assert_contains(gp, "\nif (GPVAL_TERM eq 'dumb') {\n  set contour base\n");
  free(gp);
  nn_plot_free(p);

  /* The same grid in 3D: splot, a pm3d surface, and a curve with z. */
  p = new_plot("grid-3d");
  assert_int_equal(nn_plot_3d(p), GSL_SUCCESS);
  assert_int_equal(nn_plot_grid(p, "z", x, y, z, NULL), GSL_SUCCESS);
  double cz[] = {0.5, 20.5};
  assert_int_equal(nn_plot_series3d(p, "descent", tx, ty, cz, 2, NULL), GSL_SUCCESS);
  assert_int_equal(nn_plot_write(p), GSL_SUCCESS);
  gp = ft_slurp(nn_plot_path(p, "gp"));
  assert_contains(gp, "\n  splot \\\n");
  assert_has_line(gp, "    data index 0 using 1:2:3 title 'z' noenhanced with pm3d, \\");
  assert_has_line(gp, "    data index 1 using 1:2:3 title 'descent' noenhanced with lines");
  /* on the text terminal: the contours of the surface, the path flat */
  assert_has_line(gp, "    data index 1 using 1:2 title 'descent' noenhanced with lines");
  free(gp);
  dat = ft_slurp(nn_plot_path(p, "dat"));
  dat_block(dat, 1, vals, 64, &rows, &cols, &scans);
  assert_int_equal(rows, 2);
  assert_int_equal(cols, 3);
  assert_close(vals[5], 20.5, 0.0);
  free(dat);
  nn_plot_free(p);
  gsl_vector_free(x);
  gsl_vector_free(y);
  gsl_matrix_free(z);
}

/* ===== The script ===== */

/* Titles, labels and legends come out literally: quotes, backslashes,
 * backquotes (which gnuplot would run as a shell command inside double
 * quotes), enhanced-text characters and newlines. */
static void
gp_quotes_plain_text_and_sets_no_terminal(void **state)
{
  (void) state;
  double x[] = {0.0, 1.0, 2.0}, y[] = {1.0, 0.5, 0.25};
  nn_plot *p = new_plot("gp-quoting");
  assert_int_equal(nn_plot_title(p, "it's a_b^{2} @x & `echo hi` \\ \"q\""), GSL_SUCCESS);
  assert_int_equal(nn_plot_labels(p, "line one\nline two", NULL), GSL_SUCCESS);
  assert_int_equal(nn_plot_labels(p, NULL, "loss L(w)"), GSL_SUCCESS);  /* keeps the x label */
  assert_int_equal(nn_plot_set(p, "logscale %s", "y"), GSL_SUCCESS);
  assert_int_equal(nn_plot_set(p, "unset key"), GSL_SUCCESS);
  assert_int_equal(nn_plot_series(p, "σ_1 'old'", x, y, 3, NULL), GSL_SUCCESS);
  assert_int_equal(nn_plot_series(p, "", x, y, 3, "points pt 7 ps 1.5"), GSL_SUCCESS);
  assert_int_equal(nn_plot_write(p), GSL_SUCCESS);
  assert_int_equal(nn_plot_write(p), GSL_SUCCESS);  /* again: nothing to do */

  char *gp = ft_slurp(nn_plot_path(p, "gp"));
  assert_has_line(gp, "data = 'gp-quoting.dat'");
  assert_has_line(gp, "set title 'it''s a_b^{2} @x & `echo hi` \\ \"q\"' noenhanced font ',16'");
  assert_has_line(gp, "set xlabel 'line one'.\"\\n\".'line two' noenhanced");
  assert_has_line(gp, "set ylabel 'loss L(w)' noenhanced");
  assert_has_line(gp, "set logscale y");
  assert_has_line(gp, "unset key");
  assert_has_line(gp, "  data index 0 using 1:2 title 'σ_1 ''old''' noenhanced with lines, \\");
  assert_has_line(gp, "  data index 1 using 1:2 notitle with points pt 7 ps 1.5");
  /* The caller's settings come after the defaults, so they win. */
  assert_true(strstr(gp, "set logscale y") > strstr(gp, "set key"));
  /* One script for every output: the renderer chooses the terminal. */
  assert_no_line_starts(gp, "set term");
  assert_no_line_starts(gp, "set output");
  assert_contains(gp, "lw 2");
  free(gp);
  nn_plot_free(p);
}

static void
bars_label_their_positions(void **state)
{
  (void) state;
  const char *labels[] = {"cat", "it's", "a_b"};
  double train[] = {0.85, 0.5, 0.975}, test[] = {0.75, 0.25, 0.9};
  nn_plot *p = new_plot("bars");
  assert_int_equal(nn_plot_bars(p, "train", labels, train, 3, NULL), GSL_SUCCESS);
  assert_int_equal(nn_plot_bars(p, "test", NULL, test, 2, "boxes fs pattern 1"), GSL_SUCCESS);
  assert_int_equal(nn_plot_write(p), GSL_SUCCESS);

  char *gp = ft_slurp(nn_plot_path(p, "gp"));
  assert_has_line(gp, "set xtics ('cat' 0, 'it''s' 1, 'a_b' 2) noenhanced scale 0");
  assert_has_line(gp, "set boxwidth 0.4 absolute");  /* two series share 0.8 */
  assert_has_line(gp, "set yrange [0:*]");           /* bars stand on zero */
  assert_has_line(gp, "  data index 0 using ($1 - 0.2):2 title 'train' noenhanced with boxes, \\");
  assert_has_line(gp, "  data index 1 using ($1 + 0.2):2 title 'test' noenhanced with boxes fs pattern 1");
  free(gp);

  char *dat = ft_slurp(nn_plot_path(p, "dat"));
  double vals[16];
  size_t rows, cols, scans;
  dat_block(dat, 0, vals, 16, &rows, &cols, &scans);
  assert_int_equal(rows, 3);
  assert_int_equal(cols, 2);
  for (size_t i = 0; i < 3; i++) {
    assert_close(vals[2 * i], (double) i, 0.0);
    assert_close(vals[2 * i + 1], train[i], 1e-15);
  }
  dat_block(dat, 1, vals, 16, &rows, &cols, &scans);
  assert_int_equal(rows, 2);
  assert_close(vals[3], 0.25, 0.0);
  assert_contains(dat, "# position value (the labels are the tic labels of bars.gp)\n");
  free(dat);
  nn_plot_free(p);

  /* Without labels a bar is labelled by its position; below zero, the
   * y range is left free. */
  double signs[] = {1.5, -0.5};
  p = new_plot("bars-unlabelled");
  assert_int_equal(nn_plot_bars(p, NULL, NULL, signs, 2, NULL), GSL_SUCCESS);
  assert_int_equal(nn_plot_write(p), GSL_SUCCESS);
  gp = ft_slurp(nn_plot_path(p, "gp"));
  assert_has_line(gp, "set xtics ('0' 0, '1' 1) noenhanced scale 0");
  assert_has_line(gp, "set boxwidth 0.8 absolute");
  assert_has_line(gp, "  data index 0 using 1:2 notitle with boxes");
  assert_null(strstr(gp, "set yrange"));
  free(gp);
  nn_plot_free(p);
}

static void
path_names_the_files_of_the_figure(void **state)
{
  (void) state;
  char expected[4300];
  nn_plot *p = new_plot("paths");
  snprintf(expected, sizeof expected, "%s/paths.gp", out_dir);
  assert_string_equal(nn_plot_path(p, "gp"), expected);
  snprintf(expected, sizeof expected, "%s/paths.png", out_dir);
  assert_string_equal(nn_plot_path(p, "png"), expected);
  nn_test_last_error[0] = '\0';
  assert_null(nn_plot_path(p, "pdf"));
  assert_contains(nn_test_last_error, "pdf");
  nn_plot_free(p);  /* no series: no script */
  snprintf(expected, sizeof expected, "%s/paths.gp", out_dir);
  assert_false(ft_file_exists(expected));

  /* A trailing '/' on the folder does not double the separator. */
  char dir[4200];
  snprintf(dir, sizeof dir, "%s/", out_dir);
  p = nn_plot_alloc(dir, "paths");
  assert_non_null(p);
  assert_string_equal(nn_plot_path(p, "gp"), expected);
  nn_plot_free(p);
}

static void
free_accepts_null_and_writes_the_script(void **state)
{
  (void) state;
  nn_plot_free(NULL);
  double x[] = {1.0, 2.0}, y[] = {3.0, 4.0};
  nn_plot *p = new_plot("free-writes");
  char gp[4300];
  snprintf(gp, sizeof gp, "%s", nn_plot_path(p, "gp"));
  assert_int_equal(nn_plot_series(p, "s", x, y, 2, NULL), GSL_SUCCESS);
  assert_false(ft_file_exists(gp));
  nn_plot_free(p);
  char *text = ft_slurp(gp);
  assert_contains(text, "title 's' noenhanced with lines");
  free(text);
}

/* ===== Errors ===== */

static void
alloc_refuses_names_that_are_not_plain_stems(void **state)
{
  (void) state;
  assert_null_error(nn_plot_alloc(out_dir, ""), "''");
  assert_null_error(nn_plot_alloc(out_dir, ".hidden"), "'.hidden'");
  assert_null_error(nn_plot_alloc(out_dir, "sub/fig"), "'sub/fig'");
  assert_null_error(nn_plot_alloc(out_dir, "two words"), "'two words'");
  assert_null_error(nn_plot_alloc(out_dir, "x';!rm"), "not a plain file name");
  assert_null_error(nn_plot_alloc(out_dir, NULL), "NULL");
  assert_null_error(nn_plot_alloc(NULL, "fig"), "folder");
  assert_null_error(nn_plot_alloc("", "fig"), "folder");
}

static void
alloc_names_the_path_it_cannot_write(void **state)
{
  (void) state;
  char dir[4200], expected[4300];
  snprintf(dir, sizeof dir, "%s/no-such-folder", out_dir);
  snprintf(expected, sizeof expected, "cannot write %s/fig.dat: No such file", dir);
  assert_null_error(nn_plot_alloc(dir, "fig"), expected);

  /* A file where a folder should be. */
  snprintf(dir, sizeof dir, "%s/a-file", out_dir);
  FILE *f = fopen(dir, "w");
  assert_non_null(f);
  fclose(f);
  snprintf(expected, sizeof expected, "%s/fig.dat", dir);
  assert_null_error(nn_plot_alloc(dir, "fig"), expected);
}

static void
calls_out_of_order_are_refused(void **state)
{
  (void) state;
  double x[] = {1.0, 2.0}, y[] = {3.0, 4.0}, z[] = {5.0, 6.0};
  const char *labels[] = {"a", "b"};

  nn_plot *p = new_plot("order");
  assert_gsl_error(nn_plot_write(p), GSL_EINVAL, "no series");
  assert_gsl_error(nn_plot_series3d(p, "c", x, y, z, 2, NULL), GSL_EINVAL, "2D figure");
  assert_int_equal(nn_plot_series(p, "s", x, y, 2, NULL), GSL_SUCCESS);
  assert_gsl_error(nn_plot_3d(p), GSL_EINVAL, "before the first");
  assert_int_equal(nn_plot_write(p), GSL_SUCCESS);
  assert_gsl_error(nn_plot_series(p, "late", x, y, 2, NULL), GSL_EINVAL, "already written");
  assert_gsl_error(nn_plot_bars(p, "late", labels, y, 2, NULL), GSL_EINVAL, "order.gp");
  assert_gsl_error(nn_plot_title(p, "late"), GSL_EINVAL, "already written");
  assert_gsl_error(nn_plot_labels(p, "late", NULL), GSL_EINVAL, "already written");
  assert_gsl_error(nn_plot_set(p, "grid"), GSL_EINVAL, "already written");
  assert_gsl_error(nn_plot_3d(p), GSL_EINVAL, "already written");
  nn_plot_free(p);

  p = new_plot("order-3d");
  assert_int_equal(nn_plot_3d(p), GSL_SUCCESS);
  assert_gsl_error(nn_plot_series(p, "s", x, y, 2, NULL), GSL_EINVAL, "3D figure");
  assert_gsl_error(nn_plot_bars(p, "b", labels, y, 2, NULL), GSL_EINVAL, "3D figure");
  assert_int_equal(nn_plot_series3d(p, "c", x, y, z, 2, NULL), GSL_SUCCESS);
  nn_plot_free(p);

  assert_gsl_error(nn_plot_write(NULL), GSL_EINVAL, "NULL");
  assert_gsl_error(nn_plot_series(NULL, "s", x, y, 2, NULL), GSL_EINVAL, "NULL");
  assert_gsl_error(nn_plot_render(NULL, "svg"), GSL_EINVAL, "NULL");
}

static void
sizes_that_do_not_fit_are_refused(void **state)
{
  (void) state;
  double a[] = {1.5, 2.5, 3.5};
  gsl_vector_view x3 = gsl_vector_view_array(a, 3), x2 = gsl_vector_view_array(a, 2);
  gsl_vector_view x1 = gsl_vector_view_array(a, 1);
  double za[6] = {0};
  gsl_matrix_view z23 = gsl_matrix_view_array(za, 2, 3), z32 = gsl_matrix_view_array(za, 3, 2);
  gsl_matrix_view z13 = gsl_matrix_view_array(za, 1, 3);

  nn_plot *p = new_plot("sizes");
  assert_gsl_error(nn_plot_series(p, "s", a, a, 0, NULL), GSL_EBADLEN, "0 points");
  assert_gsl_error(nn_plot_series_vector(p, "s", &x3.vector, &x2.vector, NULL),
                   GSL_EBADLEN, "x has 3 entries but y has 2");
  assert_gsl_error(nn_plot_grid(p, "g", &x3.vector, &x2.vector, &z32.matrix, NULL),
                   GSL_EBADLEN, "z is 3x2");
  assert_gsl_error(nn_plot_grid(p, "g", &x3.vector, &x1.vector, &z13.matrix, NULL),
                   GSL_EBADLEN, "at least 2x2");
  assert_gsl_error(nn_plot_bars(p, "b", NULL, a, 0, NULL), GSL_EBADLEN, "0 bars");
  assert_gsl_error(nn_plot_series(p, "s", NULL, a, 3, NULL), GSL_EINVAL, "NULL");
  assert_gsl_error(nn_plot_grid(p, "g", NULL, &x2.vector, &z23.matrix, NULL), GSL_EINVAL, "NULL");
  /* Nothing was added by the refused calls. */
  assert_gsl_error(nn_plot_write(p), GSL_EINVAL, "no series");
  assert_int_equal(nn_plot_grid(p, "g", &x3.vector, &x2.vector, &z23.matrix, NULL), GSL_SUCCESS);
  nn_plot_free(p);
}

static void
bad_arguments_are_refused(void **state)
{
  (void) state;
  double x[] = {1.0, 2.0};
  char *text = (char *) "untouched";
  nn_plot *p = new_plot("arguments");
  assert_gsl_error(nn_plot_set(p, "%s", ""), GSL_EINVAL, "not one line");
  assert_gsl_error(nn_plot_set(p, "grid\nset output 'x'"), GSL_EINVAL, "not one line");
  assert_gsl_error(nn_plot_series(p, "s", x, x, 2, "lines\nreplot"), GSL_EINVAL, "not one line");
  assert_int_equal(nn_plot_series(p, "s", x, x, 2, NULL), GSL_SUCCESS);
  assert_gsl_error(nn_plot_render(p, "pdf"), GSL_EINVAL, "\"pdf\"");
  assert_gsl_error(nn_plot_render(p, NULL), GSL_EINVAL, "svg");
  assert_gsl_error(nn_plot_ascii(p, 5, 24, &text), GSL_EINVAL, "5 x 24");
  assert_null(text);
  assert_gsl_error(nn_plot_ascii(p, 78, 24, NULL), GSL_EINVAL, "NULL");
  nn_plot_free(p);
}

/* Without gnuplot the figure is still written, and rendering says why it
 * did not happen: GSL_EUNSUP, naming the program and its Debian package. */
static void
missing_gnuplot_is_unsupported_and_files_stay(void **state)
{
  (void) state;
  setenv("NN_GNUPLOT", "/nonexistent/gnuplot", 1);
  assert_int_equal(nn_plot_gnuplot_available(), 0);
  nn_plot *p = two_curves("no-gnuplot");
  assert_gsl_error(nn_plot_render(p, "svg"), GSL_EUNSUP, "gnuplot-nox");
  assert_contains(nn_test_last_error, "'/nonexistent/gnuplot' (from NN_GNUPLOT)");
  assert_contains(nn_test_last_error, "no-gnuplot.gp");
  char *text = (char *) "untouched";
  assert_gsl_error(nn_plot_ascii(p, 78, 24, &text), GSL_EUNSUP, "gnuplot-nox");
  assert_null(text);
  assert_true(ft_file_exists(nn_plot_path(p, "gp")));
  assert_true(ft_file_exists(nn_plot_path(p, "dat")));
  assert_false(ft_file_exists(nn_plot_path(p, "svg")));

  setenv("NN_GNUPLOT", "no-such-program-for-nncourse", 1);
  assert_int_equal(nn_plot_gnuplot_available(), 0);
  assert_gsl_error(nn_plot_render(p, "png"), GSL_EUNSUP, "was not found on PATH");
  nn_plot_free(p);
}

/* A program that fails: its exit status and the first lines of its
 * standard error are in the message. */
static void
failing_program_reports_status_and_stderr(void **state)
{
  (void) state;
  const char *fake = ft_fake_program(
    out_dir, "fake-gnuplot-fails",
    "echo 'set nonsense' >&2\necho '    ^' >&2\necho 'line 7: unrecognized option' >&2\nexit 3");
  setenv("NN_GNUPLOT", fake, 1);
  assert_int_equal(nn_plot_gnuplot_available(), 1);
  nn_plot *p = two_curves("fails");
  assert_gsl_error(nn_plot_render(p, "svg"), GSL_EFAILED, "failed with exit status 3");
  assert_contains(nn_test_last_error, "fails.gp");
  assert_contains(nn_test_last_error, "\n  line 7: unrecognized option");
  nn_plot_free(p);

  /* Exit status 0 but no picture: also a failure. */
  setenv("NN_GNUPLOT", ft_fake_program(out_dir, "fake-gnuplot-silent", "exit 0"), 1);
  p = two_curves("silent");
  assert_gsl_error(nn_plot_render(p, "png"), GSL_EFAILED, "silent.png is missing or empty");
  nn_plot_free(p);
}

/* What the program prints is captured; the dumb terminal's form feed and
 * trailing blanks are dropped; the arguments reach the program unchanged. */
static void
ascii_captures_standard_output(void **state)
{
  (void) state;
  const char *fake = ft_fake_program(
    out_dir, "fake-gnuplot-prints",
    "printf '\\fab   \\ncd\\n'\nfor a in \"$@\"; do printf '[%s]\\n' \"$a\"; done\n"
    "pwd");
  setenv("NN_GNUPLOT", fake, 1);
  nn_plot *p = two_curves("prints");
  char *text = NULL;
  assert_int_equal(nn_plot_ascii(p, 40, 12, &text), GSL_SUCCESS);
  assert_non_null(text);
  const char *expected = "ab\ncd\n[-e]\n[set terminal dumb size 40,12; set output]\n"
                         "[prints.gp]\n";
  if (strncmp(text, expected, strlen(expected)) != 0)
    fail_msg("captured:\n%s\nexpected it to begin with:\n%s", text, expected);
  /* gnuplot runs in the figure's folder. */
  char *real = realpath(out_dir, NULL);
  assert_non_null(real);
  char cwd[4300];
  snprintf(cwd, sizeof cwd, "\n%s\n", real);
  assert_contains(text, cwd);
  free(real);
  free(text);
  nn_plot_free(p);
}

/* ===== Rendering with gnuplot (needs the program) ===== */

static void
render_writes_svg_and_png(void **state)
{
  (void) state;
  double x[] = {0.0, 1.0, 2.0, 3.0}, y[] = {1.0, 0.5, NAN, 0.125};
  nn_plot *p = new_plot("render");
  assert_int_equal(nn_plot_title(p, "Loss a_b & c^2"), GSL_SUCCESS);
  assert_int_equal(nn_plot_labels(p, "epoch", "loss"), GSL_SUCCESS);
  assert_int_equal(nn_plot_series(p, "train_loss", x, y, 4, NULL), GSL_SUCCESS);
  assert_int_equal(nn_plot_series(p, "points", y, x, 4, "points"), GSL_SUCCESS);
  assert_int_equal(nn_plot_render(p, "svg"), GSL_SUCCESS);
  assert_int_equal(nn_plot_render(p, "png"), GSL_SUCCESS);
  assert_svg(nn_plot_path(p, "svg"));
  assert_png(nn_plot_path(p, "png"));
  /* noenhanced: "a_b" is text, not a subscript; '&' is escaped for XML. */
  char *svg = ft_slurp(nn_plot_path(p, "svg"));
  assert_contains(svg, "Loss a_b &amp; c^2");
  assert_contains(svg, "train_loss");
  free(svg);
  nn_plot_free(p);
}

static void
ascii_has_the_rows_asked_for(void **state)
{
  (void) state;
  nn_plot *p = two_curves("ascii");
  char *text = NULL;
  assert_int_equal(nn_plot_ascii(p, 60, 20, &text), GSL_SUCCESS);
  assert_non_null(text);
  size_t lines = 0, longest = 0, len = 0;
  for (const char *c = text; *c != '\0'; c++) {
    if (*c == '\n') {
      lines++;
      len = 0;
    } else if (++len > longest) {
      longest = len;
    }
  }
  assert_int_equal(lines, 20);
  assert_true(longest > 30 && longest <= 60);
  assert_contains(text, "Two curves");
  assert_null(strchr(text, '\f'));
  free(text);
  /* The script is rendered again, at another size. */
  assert_int_equal(nn_plot_ascii(p, 100, 30, &text), GSL_SUCCESS);
  lines = 0;
  for (const char *c = text; *c != '\0'; c++)
    lines += *c == '\n';
  assert_int_equal(lines, 30);
  free(text);
  nn_plot_free(p);
}

static void
grids_and_bars_render(void **state)
{
  (void) state;
  gsl_vector *x = gsl_vector_alloc(21), *y = gsl_vector_alloc(11);
  gsl_matrix *z = gsl_matrix_alloc(11, 21);
  for (size_t j = 0; j < 21; j++)
    gsl_vector_set(x, j, -2.0 + 0.2 * (double) j);
  for (size_t i = 0; i < 11; i++)
    gsl_vector_set(y, i, -1.0 + 0.2 * (double) i);
  for (size_t i = 0; i < 11; i++)
    for (size_t j = 0; j < 21; j++) {
      double a = gsl_vector_get(x, j), b = gsl_vector_get(y, i);
      gsl_matrix_set(z, i, j, a * a + 3.0 * b * b);
    }
  double tx[] = {-1.8, -1.0, -0.4, 0.0}, ty[] = {0.9, 0.3, 0.05, 0.0}, tz[4];
  for (size_t k = 0; k < 4; k++)
    tz[k] = tx[k] * tx[k] + 3.0 * ty[k] * ty[k];

  nn_plot *p = new_plot("render-heat");
  assert_int_equal(nn_plot_grid(p, NULL, x, y, z, NULL), GSL_SUCCESS);
  assert_int_equal(nn_plot_series(p, "path", tx, ty, 4, "linespoints lc rgb 'white'"), GSL_SUCCESS);
  assert_int_equal(nn_plot_render(p, "png"), GSL_SUCCESS);
  assert_int_equal(nn_plot_render(p, "svg"), GSL_SUCCESS);
  assert_png(nn_plot_path(p, "png"));
  assert_svg(nn_plot_path(p, "svg"));
  char *text = NULL;
  assert_int_equal(nn_plot_ascii(p, 78, 24, &text), GSL_SUCCESS);
  free(text);
  nn_plot_free(p);

  p = new_plot("render-surface");
  assert_int_equal(nn_plot_3d(p), GSL_SUCCESS);
  assert_int_equal(nn_plot_grid(p, "L(w)", x, y, z, NULL), GSL_SUCCESS);
  assert_int_equal(nn_plot_series3d(p, "descent", tx, ty, tz, 4, "linespoints"), GSL_SUCCESS);
  assert_int_equal(nn_plot_render(p, "png"), GSL_SUCCESS);
  assert_png(nn_plot_path(p, "png"));
  nn_plot_free(p);

  const char *labels[] = {"T-shirt", "trouser_s", "bag"};
  double v[] = {0.85, 0.975, -0.125};
  p = new_plot("render-bars");
  assert_int_equal(nn_plot_bars(p, "accuracy", labels, v, 3, NULL), GSL_SUCCESS);
  assert_int_equal(nn_plot_render(p, "svg"), GSL_SUCCESS);
  assert_svg(nn_plot_path(p, "svg"));
  char *svg = ft_slurp(nn_plot_path(p, "svg"));
  assert_contains(svg, "trouser_s");
  free(svg);
  nn_plot_free(p);

  gsl_vector_free(x);
  gsl_vector_free(y);
  gsl_matrix_free(z);
}

/* A gnuplot error in the script (here an unknown setting) comes back as
 * GSL_EFAILED with gnuplot's own words. */
static void
gnuplot_errors_are_reported(void **state)
{
  (void) state;
  nn_plot *p = two_curves("render-error");
  assert_int_equal(nn_plot_set(p, "no_such_option 3"), GSL_SUCCESS);
  assert_gsl_error(nn_plot_render(p, "svg"), GSL_EFAILED, "exit status");
  assert_contains(nn_test_last_error, "no_such_option");
  assert_contains(nn_test_last_error, "render-error.gp");
  nn_plot_free(p);
}

/* The longest run of the character c on one line of text. */
static size_t
longest_run(const char *text, char c)
{
  size_t best = 0, run = 0;
  for (const char *s = text; *s != '\0'; s++) {
    run = *s == c ? run + 1 : 0;
    best = run > best ? run : best;
  }
  return best;
}

/* A step function with a zero axis of line type 1, as the lectures draw
 * it: on the text terminal, where type 1 is drawn with '*' like the curve,
 * the axis must be drawn with dots, or the step stands on a line of its
 * own stars. The axis spans the whole width; the two flat parts of the
 * step, half of it each. */
static void
ascii_zero_axis_is_not_drawn_like_a_curve(void **state)
{
  (void) state;
  double x[] = {-2.0, 0.0, 0.0, 2.0}, y[] = {-0.5, -0.5, 1.0, 1.0};
  nn_plot *p = new_plot("ascii-step");
  assert_int_equal(nn_plot_set(p, "unset grid"), GSL_SUCCESS);
  assert_int_equal(nn_plot_set(p, "unset key"), GSL_SUCCESS);
  assert_int_equal(nn_plot_set(p, "xzeroaxis lt 1 lw 1 lc rgb '#808080'"), GSL_SUCCESS);
  assert_int_equal(nn_plot_set(p, "yrange [-1:1.5]"), GSL_SUCCESS);
  assert_int_equal(nn_plot_series(p, "step", x, y, 4, "lines lw 2"), GSL_SUCCESS);
  char *text = NULL;
  assert_int_equal(nn_plot_ascii(p, 60, 20, &text), GSL_SUCCESS);
  size_t stars = longest_run(text, '*'), dots = longest_run(text, '.');
  if (stars >= 35 || dots < 20)
    print_error("%s", text);
  assert_true(stars < 35);  /* no curve character across the whole width */
  assert_true(dots >= 20);  /* and the axis is there, dotted, on each side */
  free(text);
  /* SVG keeps the caller's line: the grey #808080 of the setting */
  assert_int_equal(nn_plot_render(p, "svg"), GSL_SUCCESS);
  char *svg = ft_slurp(nn_plot_path(p, "svg"));
  assert_contains(svg, "rgb(128, 128, 128)");
  free(svg);
  nn_plot_free(p);
}

/* A heat map on the text terminal is a contour map: lines labelled with
 * their levels. z = x² + 3y² on [-2, 2] x [-1, 1] has its levels between
 * 0 and 7; the labels are numbers of that range. */
static void
ascii_grid_is_a_contour_map(void **state)
{
  (void) state;
  gsl_vector *x = gsl_vector_alloc(41), *y = gsl_vector_alloc(21);
  gsl_matrix *z = gsl_matrix_alloc(21, 41);
  for (size_t j = 0; j < 41; j++)
    gsl_vector_set(x, j, -2.0 + 0.1 * (double) j);
  for (size_t i = 0; i < 21; i++)
    gsl_vector_set(y, i, -1.0 + 0.1 * (double) i);
  for (size_t i = 0; i < 21; i++)
    for (size_t j = 0; j < 41; j++) {
      double a = gsl_vector_get(x, j), b = gsl_vector_get(y, i);
      gsl_matrix_set(z, i, j, a * a + 3.0 * b * b);
    }
  nn_plot *p = new_plot("ascii-contours");
  assert_int_equal(nn_plot_grid(p, "loss", x, y, z, NULL), GSL_SUCCESS);
  assert_int_equal(nn_plot_text_contours(p, 4), GSL_SUCCESS);
  char *text = NULL;
  assert_int_equal(nn_plot_ascii(p, 78, 24, &text), GSL_SUCCESS);
  assert_contains(text, "loss: contours");
  /* some label inside the frame (between the '|' of a line) is a level: a
   * number in (0, 7) */
  int labels = 0;
  for (const char *line = text; *line != '\0';) {
    size_t n = strcspn(line, "\n");
    const char *left = memchr(line, '|', n), *right = NULL;
    for (const char *c = line; c < line + n; c++)
      right = *c == '|' ? c : right;
    for (const char *c = left; c != NULL && c + 1 < right; c++) {
      if (*c != ' ' && *c != '*' && *c != '|')
        continue;
      char *end;
      double v = strtod(c + 1, &end);
      if (end > c + 1 && c[1] >= '0' && c[1] <= '9' && end <= right && v > 0 && v < 7)
        labels++;
    }
    line += n + (line[n] == '\n');
  }
  if (labels == 0)
    print_error("%s", text);
  assert_true(labels > 0);
  free(text);
  nn_plot_free(p);
  p = new_plot("ascii-contours-bad");
  assert_gsl_error(nn_plot_text_contours(p, 31), GSL_EINVAL, "31 levels");
  nn_plot_free(p);
  gsl_vector_free(x);
  gsl_vector_free(y);
  gsl_matrix_free(z);
}

/* A session draws what the one-shot calls draw, figure after figure with
 * one gnuplot; an error fails its own figure only. */
static void
session_draws_like_single_runs(void **state)
{
  (void) state;
  nn_plot_session *s = nn_plot_session_alloc();
  assert_non_null(s);
  nn_plot *p = two_curves("session-a");
  char *once = NULL, *text = NULL;
  assert_int_equal(nn_plot_ascii(p, 60, 20, &once), GSL_SUCCESS);
  assert_int_equal(nn_plot_session_ascii(s, p, 60, 20, &text), GSL_SUCCESS);
  assert_string_equal(text, once);
  free(text);
  free(once);
  assert_int_equal(nn_plot_session_render(s, p, "svg"), GSL_SUCCESS);
  assert_int_equal(nn_plot_session_render(s, p, "png"), GSL_SUCCESS);
  assert_svg(nn_plot_path(p, "svg"));
  assert_png(nn_plot_path(p, "png"));
  assert_gsl_error(nn_plot_session_render(s, p, "pdf"), GSL_EINVAL, "\"pdf\"");
  assert_gsl_error(nn_plot_session_ascii(s, p, 5, 20, &text), GSL_EINVAL, "5 x 20");
  nn_plot_free(p);

  p = two_curves("session-error");
  assert_int_equal(nn_plot_set(p, "no_such_option 3"), GSL_SUCCESS);
  assert_gsl_error(nn_plot_session_render(s, p, "svg"), GSL_EFAILED, "no_such_option");
  assert_contains(nn_test_last_error, "session-error.gp");
  nn_plot_free(p);

  /* the settings of one figure do not leak into the next */
  p = two_curves("session-b");
  assert_int_equal(nn_plot_session_ascii(s, p, 60, 20, &text), GSL_SUCCESS);
  assert_int_equal(nn_plot_ascii(p, 60, 20, &once), GSL_SUCCESS);
  assert_string_equal(text, once);
  free(text);
  free(once);
  nn_plot_free(p);
  nn_plot_session_free(s);
  nn_plot_session_free(NULL);
}

/* Without gnuplot a session says so, as the one-shot calls do. */
static void
session_without_gnuplot_is_unsupported(void **state)
{
  (void) state;
  setenv("NN_GNUPLOT", "/nonexistent/gnuplot", 1);
  nn_plot_session *s = nn_plot_session_alloc();
  nn_plot *p = two_curves("session-missing");
  assert_gsl_error(nn_plot_session_render(s, p, "svg"), GSL_EUNSUP, "gnuplot-nox");
  char *text = NULL;
  assert_gsl_error(nn_plot_session_ascii(s, p, 60, 20, &text), GSL_EUNSUP, "gnuplot-nox");
  assert_null(text);
  nn_plot_free(p);
  nn_plot_session_free(s);
}

/* The shaded heat map: z = x on a 10 x 3 grid, 10 columns wide, shades
 * each column by its tenth of the range, the NaN as '?'. */
static void
shade_ascii_steps_through_the_range(void **state)
{
  (void) state;
  gsl_vector *x = gsl_vector_alloc(10), *y = gsl_vector_alloc(3);
  gsl_matrix *z = gsl_matrix_alloc(3, 10);
  for (size_t j = 0; j < 10; j++)
    gsl_vector_set(x, j, 0.25 * (double) j);
  for (size_t i = 0; i < 3; i++)
    gsl_vector_set(y, i, (double) i);
  for (size_t i = 0; i < 3; i++)
    for (size_t j = 0; j < 10; j++)
      gsl_matrix_set(z, i, j, 0.25 * (double) j);
  gsl_matrix_set(z, 2, 0, NAN);  /* top row (largest y), left */
  char *text = NULL;
  assert_int_equal(nn_plot_shade_ascii(x, y, z, 10, 3, &text), GSL_SUCCESS);
  assert_contains(text, "  |?.:-=+*#%@|\n  | .:-=+*#%@|\n  | .:-=+*#%@|\n");
  assert_contains(text, "from 0 (blank) to 2.25 (@)");
  assert_contains(text, "x from 0 (left) to 2.25 (right), y from 0 (bottom) to 2 (top)");
  free(text);
  gsl_matrix *bad = gsl_matrix_alloc(10, 3);
  assert_gsl_error(nn_plot_shade_ascii(x, y, bad, 10, 3, &text), GSL_EBADLEN, "10x3");
  assert_null(text);
  assert_gsl_error(nn_plot_shade_ascii(x, y, z, 2, 3, &text), GSL_EINVAL, "2 x 3");
  gsl_matrix_free(bad);
  gsl_vector_free(x);
  gsl_vector_free(y);
  gsl_matrix_free(z);
}

int
main(void)
{
  nn_test_init();
  out_dir = ft_out_dir("plot");
  if (out_dir == NULL)
    return 99;
  ft_env_keep("NN_GNUPLOT");  /* put back after each test that changes it */
  int have_gnuplot = nn_plot_gnuplot_available();

  const struct CMUnitTest tests[] = {
    cmocka_unit_test(dat_holds_each_series_as_a_block),
    cmocka_unit_test(series_vector_reads_strided_views),
    cmocka_unit_test(grid_is_written_as_scan_lines),
    cmocka_unit_test(gp_quotes_plain_text_and_sets_no_terminal),
    cmocka_unit_test(bars_label_their_positions),
    cmocka_unit_test(path_names_the_files_of_the_figure),
    cmocka_unit_test(free_accepts_null_and_writes_the_script),
    cmocka_unit_test(alloc_refuses_names_that_are_not_plain_stems),
    cmocka_unit_test(alloc_names_the_path_it_cannot_write),
    cmocka_unit_test(calls_out_of_order_are_refused),
    cmocka_unit_test(sizes_that_do_not_fit_are_refused),
    cmocka_unit_test(bad_arguments_are_refused),
    cmocka_unit_test_teardown(missing_gnuplot_is_unsupported_and_files_stay, ft_env_restore),
    cmocka_unit_test_teardown(failing_program_reports_status_and_stderr, ft_env_restore),
    cmocka_unit_test_teardown(ascii_captures_standard_output, ft_env_restore),
    cmocka_unit_test_teardown(session_without_gnuplot_is_unsupported, ft_env_restore),
    cmocka_unit_test(shade_ascii_steps_through_the_range),
    /* From here on the real gnuplot is needed. */
    cmocka_unit_test(render_writes_svg_and_png),
    cmocka_unit_test(ascii_has_the_rows_asked_for),
    cmocka_unit_test(grids_and_bars_render),
    cmocka_unit_test(gnuplot_errors_are_reported),
    cmocka_unit_test(ascii_zero_axis_is_not_drawn_like_a_curve),
    cmocka_unit_test(ascii_grid_is_a_contour_map),
    cmocka_unit_test(session_draws_like_single_runs),
  };
  /* the last 7 tests, from "here on", need gnuplot */
  int status = ft_run_group("plot", tests, sizeof tests / sizeof tests[0], 7,
                            have_gnuplot, "gnuplot", "gnuplot-nox");
  ft_env_free();
  return status;
}
