/* SPDX-License-Identifier: GPL-3.0-or-later */
/* nn/plot.h: figures for gnuplot.
 *
 * A figure is two files in an output folder: NAME.dat holds the data, one
 * block per series (blocks are separated by two blank lines, so gnuplot reads
 * them with `index k`), and NAME.gp is a self-contained script that plots
 * them. Nothing needs gnuplot to write a figure; rendering it does:
 *
 *   nn_plot_render(p, "svg")   NAME.svg   (also "png": NAME.png)
 *   nn_plot_ascii(p, 78, 24, &text)       the figure as text, for a terminal
 *
 * Legal call order:
 *
 *   p = nn_plot_alloc(dir, name);           opens NAME.dat
 *   nn_plot_title/labels/set(p, ...);       any number, any order
 *   nn_plot_series/...(p, ...);             one block of data + one plot clause each
 *   nn_plot_write(p);                       writes NAME.gp (needs a series);
 *                                           no series, title or set after this
 *   nn_plot_render(p, "svg"); nn_plot_ascii(p, ...);   any number
 *   nn_plot_free(p);                        also writes NAME.gp if not yet written
 *                                           (a figure without series writes none)
 *
 * Text given to the title and label functions is quoted for gnuplot here;
 * text given to nn_plot_set() and the style arguments is gnuplot syntax, used
 * as it is.
 *
 * On the text terminal (gnuplot's dumb terminal, nn_plot_ascii) the curves
 * are drawn with characters: the zero axes and grid lines a figure sets are
 * drawn there with dots, so that they never look like a curve, and a figure
 * with a grid (a heat map, a surface) is drawn as a contour map with
 * labelled levels, since characters can show neither.
 *
 * The gnuplot program is NN_GNUPLOT from the environment when set, else the one
 * configure found. When it is missing, rendering returns GSL_EUNSUP (the
 * script and data are already written) and nn_plot_gnuplot_available() says 0.
 * Errors: GSL_EFAILED for files that cannot be written (the message names the
 * path and the reason), GSL_EINVAL for calls out of order, GSL_EBADLEN for
 * sizes that do not fit.
 */
#ifndef NN_PLOT_H
#define NN_PLOT_H

#include <stddef.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

typedef struct nn_plot nn_plot;

/* Start the figure DIR/NAME (DIR must exist). NAME is a plain file stem:
 * letters, digits, '-', '_' and '.'. Returns NULL through GSL_ERROR_NULL. */
nn_plot *nn_plot_alloc(const char *dir, const char *name);

/* Write NAME.gp when not yet written, then free. Accepts NULL. */
void nn_plot_free(nn_plot *p);

/* The plot's title and axis labels (plain text; NULL leaves a label unset). */
int nn_plot_title(nn_plot *p, const char *title);
int nn_plot_labels(nn_plot *p, const char *xlabel, const char *ylabel);

/* One line "set ..." of gnuplot, printf-style: nn_plot_set(p, "logscale xy").
 * A line that starts with "unset " is used as it is: "unset key". These come
 * after the module's own defaults in NAME.gp, so they override them. */
int nn_plot_set(nn_plot *p, const char *fmt, ...)
  __attribute__((format(printf, 2, 3)));

/* A curve or scatter of n points (x[i], y[i]). legend is plain text (NULL or
 * "" for none); style is a gnuplot `with` clause such as "lines lw 2" or
 * "points pt 7" (NULL: "lines"). Non-finite values are written as NaN and
 * gnuplot leaves a gap there. */
int nn_plot_series(nn_plot *p, const char *legend, const double *x,
                   const double *y, size_t n, const char *style);

/* The same from GSL vectors of equal length. */
int nn_plot_series_vector(nn_plot *p, const char *legend, const gsl_vector *x,
                          const gsl_vector *y, const char *style);

/* A value z(x_j, y_i) on a grid, drawn as a heat map (style NULL: "image",
 * which needs equally spaced x and y) or, in a figure made 3D by
 * nn_plot_3d(), as a surface (style NULL: "pm3d"; "lines" gives a wire
 * frame). z is (rows = y.size, cols = x.size), at least 2x2. */
int nn_plot_grid(nn_plot *p, const char *legend, const gsl_vector *x,
                 const gsl_vector *y, const gsl_matrix *z, const char *style);

/* Bars: n labelled values (style NULL: "boxes"), bar i at x = i with
 * labels[i] as its tic label (labels or labels[i] NULL: the number i). Several
 * bar series in one figure stand side by side at each position. 2D only. */
int nn_plot_bars(nn_plot *p, const char *legend, const char *const *labels,
                 const double *values, size_t n, const char *style);

/* A curve of n points (x[i], y[i], z[i]) in a 3D figure, e.g. the path of
 * gradient descent over a loss surface (style NULL: "lines"). In a 3D
 * figure this takes the place of nn_plot_series(), which is 2D only. */
int nn_plot_series3d(nn_plot *p, const char *legend, const double *x,
                     const double *y, const double *z, size_t n,
                     const char *style);

/* Plot with splot (3D) instead of plot. Call before the first series.
 * A 3D figure takes grids and nn_plot_series3d() curves. */
int nn_plot_3d(nn_plot *p);

/* On the text terminal, draw the figure's grids as LEVELS contour lines
 * (default 6), labelled with their values, under its other curves; 0 draws
 * the figure there as elsewhere. 0..30; before nn_plot_write(). */
int nn_plot_text_contours(nn_plot *p, int levels);

/* Write NAME.gp. Calling it again does nothing. */
int nn_plot_write(nn_plot *p);

/* Render NAME.<format> with gnuplot, format "svg" or "png"; writes NAME.gp
 * first when needed. */
int nn_plot_render(nn_plot *p, const char *format);

/* The figure drawn as text by gnuplot's dumb terminal, cols x rows characters.
 * *text is allocated; the caller frees it with free(). */
int nn_plot_ascii(nn_plot *p, int cols, int rows, char **text);

/* ===== One gnuplot for many figures =====
 *
 * Each call above starts gnuplot anew, which costs more than drawing most
 * figures. A session keeps one gnuplot running for all the figures given to
 * it (started at the first, ended by nn_plot_session_free()), and draws
 * exactly what the calls above draw:
 *
 *   nn_plot_session *s = nn_plot_session_alloc();
 *   nn_plot_session_render(s, p, "svg");             like nn_plot_render
 *   nn_plot_session_ascii(s, p, 78, 24, &text);      like nn_plot_ascii
 *   ... any number of figures ...
 *   nn_plot_session_free(s);
 *
 * An error in one figure fails that call only; the next one goes on (with a
 * new gnuplot if the last one died). A session is not shared between threads. */
typedef struct nn_plot_session nn_plot_session;

/* A session; gnuplot is not started yet. NULL through GSL_ERROR_NULL. */
nn_plot_session *nn_plot_session_alloc(void);

/* End gnuplot and free. Accepts NULL. */
void nn_plot_session_free(nn_plot_session *s);

int nn_plot_session_render(nn_plot_session *s, nn_plot *p, const char *format);
int nn_plot_session_ascii(nn_plot_session *s, nn_plot *p, int cols, int rows,
                          char **text);

/* A heat map as text, without gnuplot: z(x_j, y_i) on COLS x ROWS
 * characters, each the nearest grid value shaded " .:-=+*#%@" from the
 * smallest finite value (blank) to the largest (@) in ten equal steps ('?'
 * where z is not finite), largest y on top, then two lines giving the
 * ranges of x, y and the values. z is (rows = y.size, cols = x.size), at
 * least 2x2. *text is allocated; the caller frees it with free(). */
int nn_plot_shade_ascii(const gsl_vector *x, const gsl_vector *y,
                        const gsl_matrix *z, int cols, int rows, char **text);

/* The path of one of the figure's files: ext "gp", "dat", "svg", "png".
 * Points into p: valid until the next call on p; do not free. */
const char *nn_plot_path(nn_plot *p, const char *ext);

/* 1 when the gnuplot program can be run, 0 when not. */
int nn_plot_gnuplot_available(void);

#endif /* NN_PLOT_H */
