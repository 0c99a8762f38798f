/* SPDX-License-Identifier: GPL-3.0-or-later */
/// # Lecture 6: Gradient descent in 2D
///
/// Lecture 5 walked downhill on a curve: one number x, one derivative
/// f'(x), one step x ← x - η f'(x). A network has many parameters, and its
/// cost is a surface over all of them at once. This lecture takes the step
/// from one dimension to two, where everything can still be drawn:
///
/// - a function of two inputs, z = f(x, y), and its **partial
///   derivatives**, one per input;
/// - the **gradient** ∇f, the list of the partial derivatives, which points
///   uphill; gradient descent steps against it, every coordinate at once;
/// - the same loop as in 1D, on a surface with three pits: where you start
///   decides which pit you end in;
/// - gradient *ascent*, two ways, and why they are the same thing;
/// - the running problem's cost over two of its weights, descended on
///   its contour map;
/// - gradients that vanish or explode, and what people do about it.
///
/// Nothing here is special to two dimensions: a network with a million
/// weights takes exactly these steps, on a surface we can no longer draw.
/// The random restarts of section 4 are drawn from the seed (`--seed`).

/* lecture6-descent-2d.c: lecture 6 as a literate program. The `///` lines
 * are the lesson's prose (see lesson.h); main() is the outline and the
 * sections follow in the order the lecture tells them. */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_rng.h>
#include <nn/nn.h>

#include "lesson.h"
#include "running.h"
#include "lectures/lecture6-descent-2d.prose.h"

/* ===== Knobs ===== */

static double start_x = 1.8;  /* --start-x, --start-y: where the run of */
static double start_y = -1.0; /*   section 3 starts */
static double lr = 0.02;      /* --lr: the learning rate η of every run */
static int epochs = 100;      /* --epochs: steps per run */
static int ascent = 0;        /* --ascent: the run of section 3 climbs */
static int restarts = 200;    /* --restarts: random starts in section 4 */
static const char *weights = "v1,c";      /* --weights: the running problem's two
                                             weights walked in section 6 */
static const char *weights_from = "4,-4"; /* --weights-from: where that walk starts */
static double running_lr = 20.0;          /* --running-lr: its learning rate */
static double running_sd = RUNNING_SD;    /* --running-sd: the data's spread */
static double scale = RUNNING_SCALE;      /* --scale: k of the hand-set weights */

static const lesson_option options[] = {
  {"start-x", LESSON_DOUBLE, &start_x, "x of the starting point of section 3",
   .min = -3, .max = 3},
  {"start-y", LESSON_DOUBLE, &start_y, "y of the starting point of section 3",
   .min = -3, .max = 3},
  {"lr", LESSON_DOUBLE, &lr, "the learning rate η of every run", .min = 1e-6,
   .max = 1},
  {"epochs", LESSON_INT, &epochs, "steps of every run", .min = 1, .max = 100000},
  {"ascent", LESSON_FLAG, &ascent,
   "the run of section 3 climbs (gradient ascent) instead of descending",
   .choices = NULL},
  {"restarts", LESSON_INT, &restarts, "random starting points in section 4",
   .min = 0, .max = 10000},
  {"weights", LESSON_STRING, &weights,
   "two of the running problem's weights w11 w12 w21 w22 b1 b2 v1 v2 c, walked "
   "in section 6 (the others stay hand-set)", .choices = NULL},
  {"weights-from", LESSON_STRING, &weights_from,
   "where that walk starts: two numbers, written A,B", .choices = NULL},
  {"running-lr", LESSON_DOUBLE, &running_lr, "the learning rate of that walk",
   .min = 1e-6, .max = 1000},
  {"running-sd", LESSON_DOUBLE, &running_sd,
   "spread of the running problem's four clouds of points", .min = 0, .max = 1},
  {"scale", LESSON_DOUBLE, &scale, "k: the hand-set weights are ±k, k/2, 3k/2",
   .min = 0.1, .max = 50},
  {0}
};

/* The part of the plane every figure shows: [-3, 3] x [-3, 3]. */
#define EXTENT 3.0

/* A gradient this small means the run has settled on a flat point. */
#define SETTLED 1e-3

/* Heights closer to 0 than this count as the flat plain around the hills. */
#define PLAIN 0.05

/* The starting points of sections 4 and 5, one in each pit's catchment:
 * they end in three different minima going down and three different
 * maxima going up (with the default learning rate and epochs). */
static const double fixed_starts[][2] = {{-1.5, 1.0}, {0.5, 0.2}, {-0.2, -1.0}};
#define N_FIXED (sizeof fixed_starts / sizeof fixed_starts[0])

/* Colours of the paths on the heat maps: they stand out on viridis. */
static const char *const path_colours[] = {"#d55e00", "#cc79a7", "#e69f00",
                                           "#000000"};

/* peaks sampled on a grid, for the maps and the surface. */
typedef struct landscape {
  gsl_vector *x, *y;  /* the grid's coordinates, n each, from -3 to 3 */
  gsl_matrix *z;      /* (n, n): z(x_j, y_i) in row i, column j */
} landscape;

static void peaks_surface(lesson *L, landscape *land);
static void partial_derivatives(lesson *L);
static void descent_loop(lesson *L, const landscape *land);
static void starts_decide(lesson *L, const landscape *land);
static void ascent_both_ways(lesson *L, const landscape *land);
static void running_two_weights(lesson *L);
static void vanishing_and_exploding(lesson *L);
static void closing(lesson *L);

/* The two weights of --weights (indices in running_param order) and the
 * start of --weights-from, checked once at the start. */
static size_t walked[2];
static double walked_from[2];

/* The index of the running problem's parameter NAME (LEN bytes), or
 * RUNNING_N_PARAMS when there is none. */
static size_t
param_index(const char *name, size_t len)
{
  size_t i = 0;
  while (i < RUNNING_N_PARAMS && !(strlen(running_param_name(i)) == len
                                   && strncmp(running_param_name(i), name, len) == 0))
    i++;
  return i;
}

/* Read --weights and --weights-from, or refuse them by name. */
static void
read_weights(const lesson *L)
{
  const char *comma = strchr(weights, ',');
  if (comma != NULL) {
    walked[0] = param_index(weights, (size_t) (comma - weights));
    walked[1] = param_index(comma + 1, strlen(comma + 1));
  }
  if (comma == NULL || walked[0] == RUNNING_N_PARAMS || walked[1] == RUNNING_N_PARAMS)
    lesson_usage_error(L, "--weights '%s' must name two of the weights w11 w12 w21 w22 "
                       "b1 b2 v1 v2 c, as in --weights v1,c", weights);
  if (walked[0] == walked[1])
    lesson_usage_error(L, "--weights '%s' names the same weight twice: give two "
                       "different ones", weights);
  char *end = NULL;
  walked_from[0] = strtod(weights_from, &end);
  int ok = end != weights_from && *end == ',';
  if (ok) {
    const char *second = end + 1;
    walked_from[1] = strtod(second, &end);
    ok = end != second && *end == '\0';
  }
  if (!ok || !isfinite(walked_from[0]) || !isfinite(walked_from[1])
      || fabs(walked_from[0]) > 100 || fabs(walked_from[1]) > 100)
    lesson_usage_error(L, "--weights-from '%s' must be two numbers in [-100, 100], "
                       "as in --weights-from 0,0", weights_from);
}

int
main(int argc, char **argv)
{
  lesson *L = lesson_begin(argc, argv, &(lesson_info){
      .number = 6, .title = "Gradient descent in 2D",
      .options = options, .prose = &lecture_prose});
  read_weights(L);
  LESSON_PROSE(L);

  landscape land = {NULL, NULL, NULL};
  peaks_surface(L, &land);
  partial_derivatives(L);
  descent_loop(L, &land);
  starts_decide(L, &land);
  ascent_both_ways(L, &land);
  running_two_weights(L);
  vanishing_and_exploding(L);
  closing(L);

  gsl_vector_free(land.x);
  gsl_vector_free(land.y);
  gsl_matrix_free(land.z);
  return lesson_finish(L);
}

/* ===== Helpers: runs, paths, maps ===== */

/* peaks as GSL's minimisers want it: f, ∇f, and both. */
static const gsl_multimin_function_fdf peaks_fn = {
  nn_descent_peaks, nn_descent_peaks_grad, nn_descent_peaks_fdf, 2, NULL
};

/* -peaks and its gradient -∇peaks: descending it climbs peaks. */
static double
neg_peaks(const gsl_vector *v, void *params)
{
  return -nn_descent_peaks(v, params);
}

static void
neg_peaks_grad(const gsl_vector *v, void *params, gsl_vector *grad)
{
  nn_descent_peaks_grad(v, params, grad);
  gsl_vector_scale(grad, -1.0);  /* ∇(-f) = -∇f */
}

static void
neg_peaks_fdf(const gsl_vector *v, void *params, double *z, gsl_vector *grad)
{
  *z = neg_peaks(v, params);
  neg_peaks_grad(v, params, grad);
}

static const gsl_multimin_function_fdf neg_peaks_fn = {
  neg_peaks, neg_peaks_grad, neg_peaks_fdf, 2, NULL
};

/* Run gradient descent (or ascent) on FN from (x0, y0) with the lecture's
 * learning rate and epochs, into PATH (2 coordinates, >= epochs steps). */
static void
run_from(const gsl_multimin_function_fdf *fn, double x0, double y0, int up,
         nn_descent_path *path)
{
  double start[2] = {x0, y0};
  gsl_vector_const_view v = gsl_vector_const_view_array(start, 2);
  nn_descent_options opt = {.lr = lr, .epochs = (size_t) epochs, .ascent = up};
  nn_descent_run_2d(fn, &v.vector, &opt, path);  /* errors exit the lesson */
}

/* Row t of a path: x_t, y_t, z_t and |∇z(x_t, y_t)|. */
static double px(const nn_descent_path *p, size_t t) { return gsl_matrix_get(p->x, t, 0); }
static double py(const nn_descent_path *p, size_t t) { return gsl_matrix_get(p->x, t, 1); }
static double pz(const nn_descent_path *p, size_t t) { return gsl_vector_get(p->f, t); }
static double
pgrad(const nn_descent_path *p, size_t t)
{
  return hypot(gsl_matrix_get(p->grad, t, 0), gsl_matrix_get(p->grad, t, 1));
}

/* The path as three arrays of steps+1 points, for a 3D curve. Freed by
 * the caller with free(*x) (one block holds all three). */
static size_t
path_arrays(const nn_descent_path *p, double **x, double **y, double **z)
{
  size_t n = p->steps + 1;
  double *block = malloc(3 * n * sizeof *block);
  if (block == NULL)
    GSL_ERROR_VAL("path_arrays: out of memory", GSL_ENOMEM, 0);
  for (size_t t = 0; t < n; t++) {
    block[t] = px(p, t);
    block[n + t] = py(p, t);
    block[2 * n + t] = pz(p, t);
  }
  *x = block;
  *y = block + n;
  *z = block + 2 * n;
  return n;
}

/* Draw a path (and nothing else) into a 3D figure. */
static void
plot_path(nn_plot *p, const char *legend, const nn_descent_path *path,
          const char *style)
{
  double *x = NULL, *y = NULL, *z = NULL;
  size_t n = path_arrays(path, &x, &y, &z);
  if (n > 0)
    nn_plot_series3d(p, legend, x, y, z, n, style);
  free(x);
}

/* A heat map of peaks seen from above, with white contour lines every 1
 * in z; the caller adds the paths (3D curves) and shows it. In the .dat
 * file block 0 is the heat map and block 1 the same grid for the contours,
 * so the paths start at block 2. */
static nn_plot *
peaks_map(lesson *L, const landscape *land, const char *name, const char *title)
{
  nn_plot *p = lesson_plot(L, name);
  nn_plot_3d(p);
  nn_plot_title(p, title);
  nn_plot_labels(p, "x", "y");
  nn_plot_set(p, "view map");
  nn_plot_set(p, "size ratio -1");
  nn_plot_set(p, "contour base");
  nn_plot_set(p, "cntrparam levels incremental -6,1,8");
  nn_plot_set(p, "cntrlabel onecolor");
  nn_plot_set(p, "cblabel 'z = peaks(x, y)'");
  nn_plot_set(p, "xrange [%g:%g]", -EXTENT, EXTENT);
  nn_plot_set(p, "yrange [%g:%g]", -EXTENT, EXTENT);
  nn_plot_set(p, "key outside left top Left reverse samplen 2 spacing 1.3");
  nn_plot_grid(p, NULL, land->x, land->y, land->z, "image nocontours");
  nn_plot_grid(p, NULL, land->x, land->y, land->z,
               "lines lc rgb '#ffffff' lw 1 nosurface");
  return p;
}

/* "(x, y)" with lesson_num's digits. */
static const char *
point_text(lesson *L, double x, double y, char *buf, size_t size)
{
  snprintf(buf, size, "(%s, %s)", lesson_num(L, x), lesson_num(L, y));
  return buf;
}

/// ## 1. A function of two inputs: the peaks surface
///
/// A function of two inputs gives a height z = f(x, y) above every point
/// (x, y) of the plane: a landscape. Ours is the classic test surface
/// called *peaks*, a sum of three Gaussian bumps, two up and one down,
/// shaped by polynomials:
///
///     z = 3(1-x)² e^(-x²-(y+1)²) - 10(x/5 - x³ - y⁵) e^(-x²-y²)
///         - (1/3) e^(-(x+1)²-y²)
///
/// It has three hills and three pits, and far from the origin it is a flat
/// plain at height 0 (every term carries an e^(-x²...) that dies away).
/// Think of z as the cost of a model with two parameters x and y: training
/// means finding the bottom of a pit. A few heights:

static void
peaks_surface(lesson *L, landscape *land)
{
  LESSON_PROSE(L);
  static const double where[][2] = {{0, 0}, {1, 1}, {0, 1.5}, {0.25, -1.6}, {3, 3}};
  for (size_t k = 0; k < sizeof where / sizeof where[0]; k++)
    lesson_printf(L, "  z(%s, %s) = %s\n", lesson_num(L, where[k][0]),
                  lesson_num(L, where[k][1]),
                  lesson_num(L, nn_descent_peaks_xy(where[k][0], where[k][1])));
  lesson_printf(L, "  (z(0, 0) = 3/e - 1/(3e) = 8/(3e) = %s by hand)\n",
                lesson_num(L, 8.0 / (3.0 * M_E)));

  /// The surface, sampled on a grid of 121 x 121 points over the square
  /// [-3, 3] x [-3, 3]; the lowest and highest grid points already tell
  /// where the deepest pit and the highest hill are:
  LESSON_PROSE(L);
  const size_t n = 121;
  land->x = gsl_vector_alloc(n);
  land->y = gsl_vector_alloc(n);
  land->z = gsl_matrix_alloc(n, n);
  for (size_t i = 0; i < n; i++) {
    double c = -EXTENT + 2 * EXTENT * (double) i / (double) (n - 1);
    gsl_vector_set(land->x, i, c);
    gsl_vector_set(land->y, i, c);
  }
  size_t imin = 0, jmin = 0, imax = 0, jmax = 0;
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++) {
      double z = nn_descent_peaks_xy(gsl_vector_get(land->x, j),
                                     gsl_vector_get(land->y, i));
      gsl_matrix_set(land->z, i, j, z);
      if (z < gsl_matrix_get(land->z, imin, jmin)) {
        imin = i;
        jmin = j;
      }
      if (z > gsl_matrix_get(land->z, imax, jmax)) {
        imax = i;
        jmax = j;
      }
    }
  lesson_printf(L, "  lowest grid point:  z = %s at (%s, %s)\n",
                lesson_num(L, gsl_matrix_get(land->z, imin, jmin)),
                lesson_num(L, gsl_vector_get(land->x, jmin)),
                lesson_num(L, gsl_vector_get(land->y, imin)));
  lesson_printf(L, "  highest grid point: z = %s at (%s, %s)\n",
                lesson_num(L, gsl_matrix_get(land->z, imax, jmax)),
                lesson_num(L, gsl_vector_get(land->x, jmax)),
                lesson_num(L, gsl_vector_get(land->y, imax)));

  /// The figure `peaks-surface` draws it in 3D (gnuplot's splot); the maps
  /// of the sections below look at it from above, colour for height, with
  /// white contour lines every 1 in z.
  LESSON_PROSE(L);
  nn_plot *p = lesson_plot(L, "peaks-surface");
  nn_plot_3d(p);
  nn_plot_title(p, "The peaks surface: three hills, three pits, a flat plain");
  nn_plot_labels(p, "x", "y");
  nn_plot_set(p, "zlabel 'z' rotate by 0");
  nn_plot_set(p, "cblabel 'z'");
  nn_plot_set(p, "view 55, 35, 1, 1.1");
  nn_plot_set(p, "zrange [-7:9]");  /* no tic label in the corner under x = -3 */
  nn_plot_set(p, "ztics -6, 2, 8");
  nn_plot_set(p, "xrange [%g:%g]", -EXTENT, EXTENT);
  nn_plot_set(p, "yrange [%g:%g]", -EXTENT, EXTENT);
  nn_plot_set(p, "pm3d depthorder border lc rgb '#404040' lw 0.5");
  /* every other grid line: a surface of 61 x 61 facets reads best */
  gsl_vector_view xs = gsl_vector_subvector_with_stride(land->x, 0, 2, 61);
  gsl_vector_view ys = gsl_vector_subvector_with_stride(land->y, 0, 2, 61);
  gsl_matrix *zs = gsl_matrix_alloc(61, 61);
  for (size_t i = 0; i < 61; i++)
    for (size_t j = 0; j < 61; j++)
      gsl_matrix_set(zs, i, j, gsl_matrix_get(land->z, 2 * i, 2 * j));
  nn_plot_grid(p, NULL, &xs.vector, &ys.vector, zs, "pm3d");
  lesson_save_plot(L, p);
  nn_plot_free(p);
  gsl_matrix_free(zs);
}

/// ## 2. Partial derivatives and the gradient
///
/// How does z change when we move? In two dimensions that depends on the
/// direction. The two simplest directions are along the axes: hold y
/// fixed and move x, or hold x fixed and move y. Their slopes are the
/// **partial derivatives**
///
///     ∂z/∂x = lim (f(x + h, y) - f(x, y)) / h      (y held fixed)
///     ∂z/∂y = lim (f(x, y + h) - f(x, y)) / h      (x held fixed)
///
/// Each is an ordinary derivative in one variable, the other treated as a
/// constant. The list of them is the **gradient**:
///
///     ∇z = (∂z/∂x, ∂z/∂y)
///
/// For peaks the product rule, term by term, gives (see nn/descent.h):
///
///     ∂z/∂x = a (-6(1-x) - 6x(1-x)²) - 10 b ((1/5 - 3x²) - 2x u) + (2/3)(x+1) c
///     ∂z/∂y = a (-6(1-x)² (y+1))     - 10 b (-5y⁴ - 2y u)        + (2/3) y c
///
/// with a = e^(-x²-(y+1)²), b = e^(-x²-y²), c = e^(-(x+1)²-y²) and
/// u = x/5 - x³ - y⁵. At the origin a = c = 1/e and b = 1, so by hand
///
///     ∂z/∂x(0, 0) = -6/e - 2 + 2/(3e) = -2 - 16/(3e)
///     ∂z/∂y(0, 0) = -6/e

/* The gradient of peaks at (x, y), by the library's formula. */
static void
peaks_gradient(double x, double y, double g[2])
{
  double v[2] = {x, y};
  gsl_vector_view vv = gsl_vector_view_array(v, 2), gv = gsl_vector_view_array(g, 2);
  nn_descent_peaks_grad(&vv.vector, NULL, &gv.vector);
}

/* The curvatures of peaks at (x, y): the smaller and the larger eigenvalue
 * of its Hessian, the symmetric matrix of second derivatives
 * [[z_xx, z_xy], [z_xy, z_yy]], each a central difference of the
 * gradient. Both positive: the surface curves up in every direction (the
 * bottom of a pit); both negative: down in every direction (a hilltop). */
static void
peaks_curvatures(double x, double y, double *lo, double *hi)
{
  const double h = 1e-4;
  double gxp[2], gxm[2], gyp[2], gym[2];
  peaks_gradient(x + h, y, gxp);
  peaks_gradient(x - h, y, gxm);
  peaks_gradient(x, y + h, gyp);
  peaks_gradient(x, y - h, gym);
  double zxx = (gxp[0] - gxm[0]) / (2 * h), zyy = (gyp[1] - gym[1]) / (2 * h);
  double zxy = ((gxp[1] - gxm[1]) + (gyp[0] - gym[0])) / (4 * h);  /* symmetric */
  /* eigenvalues of a symmetric 2x2 matrix: mean ± radius */
  double mean = (zxx + zyy) / 2, radius = hypot((zxx - zyy) / 2, zxy);
  *lo = mean - radius;
  *hi = mean + radius;
}

static void
partial_derivatives(lesson *L)
{
  LESSON_PROSE(L);
  double g[2];
  peaks_gradient(0, 0, g);
  lesson_printf(L, "by hand:      ∂z/∂x(0, 0) = -2 - 16/(3e) = %s\n",
                lesson_num(L, -2 - 16 / (3 * M_E)));
  lesson_printf(L, "              ∂z/∂y(0, 0) = -6/e         = %s\n",
                lesson_num(L, -6 / M_E));
  lesson_printf(L, "the formula:  ∇z(0, 0) = (%s, %s)\n", lesson_num(L, g[0]),
                lesson_num(L, g[1]));

  /// A formula worked out by hand deserves a check. The central difference
  /// of lecture 1, applied to one variable at a time, estimates each
  /// partial derivative (nn_deriv_partial, with h = 1e-5); the relative
  /// error compares the two gradients: the largest difference of two
  /// entries over the largest |analytic| + |numerical| of an entry
  /// (nn_gradcheck_relative_error). We check at the origin,
  /// at the starting point of section 3, and at three points drawn from
  /// the seed:
  LESSON_PROSE(L);
  double pts[5][2] = {{0, 0}, {start_x, start_y}};
  for (size_t k = 2; k < 5; k++)
    for (size_t c = 0; c < 2; c++)  /* a multiple of 0.01 in [-2.5, 2.5] */
      pts[k][c] = ((double) gsl_rng_uniform_int(L->rng, 501) - 250.0) / 100.0;
  double worst = 0;
  for (size_t k = 0; k < 5; k++) {
    double a[2], n[2], err;
    peaks_gradient(pts[k][0], pts[k][1], a);
    gsl_vector_view av = gsl_vector_view_array(a, 2), nv = gsl_vector_view_array(n, 2);
    gsl_vector_view pv = gsl_vector_view_array(pts[k], 2);
    nn_gradcheck_numerical(&nv.vector, nn_descent_peaks, NULL, &pv.vector,
                           NN_GRADCHECK_STEP);
    nn_gradcheck_relative_error(&err, NULL, &av.vector, &nv.vector);
    worst = GSL_MAX(worst, err);
    lesson_printf(L, "at (%s, %s):\n", lesson_num(L, pts[k][0]), lesson_num(L, pts[k][1]));
    /* ten digits here: the point is how many of them agree */
    lesson_printf(L, "  analytic  ∇z = (%s, %s)\n", lesson_numf(L, a[0], 10),
                  lesson_numf(L, a[1], 10));
    lesson_printf(L, "  numerical ∇z ≈ (%s, %s)   relative error %.1e\n",
                  lesson_numf(L, n[0], 10), lesson_numf(L, n[1], 10), err);
  }
  lesson_printf(L, "largest relative error: %.1e (%s)\n", worst,
                worst < 1e-7 ? "the formula is right" : "CHECK THE FORMULA");

  /// **The gradient points uphill.** Move a small distance δ from a point
  /// p in the direction of a unit vector u = (cos θ, sin θ). To first
  /// order z changes by δ times the *directional derivative*
  ///
  ///     z(p + δu) - z(p) ≈ δ (∂z/∂x cos θ + ∂z/∂y sin θ) = δ ∇z · u
  ///
  /// and a dot product ∇z · u = |∇z| |u| cos(angle) is largest when u
  /// points along ∇z and most negative when u points against it. So -∇z
  /// is the direction of **steepest descent**, and |∇z| is the slope
  /// there. Here are eight directions and -∇z/|∇z| at the starting point,
  /// with δ = 0.001:
  LESSON_PROSE(L);
  const double delta = 1e-3, x0 = start_x, y0 = start_y;
  const double z0 = nn_descent_peaks_xy(x0, y0);
  peaks_gradient(x0, y0, g);
  const double norm = hypot(g[0], g[1]);
  lesson_printf(L, "at (%s, %s): ∇z = (%s, %s), |∇z| = %s\n", lesson_num(L, x0),
                lesson_num(L, y0), lesson_num(L, g[0]), lesson_num(L, g[1]),
                lesson_num(L, norm));
  lesson_printf(L, "  direction u          δ ∇z·u        z(p + δu) - z(p)\n");
  double best = INFINITY;
  for (int k = 0; k <= 8; k++) {
    double ux, uy;
    char name[64];
    if (k < 8) {
      double theta = k * M_PI / 4;
      ux = cos(theta);
      uy = sin(theta);
      snprintf(name, sizeof name, "θ = %3d°", 45 * k);
    } else {
      if (norm == 0)
        break;  /* a flat point: no steepest direction */
      ux = -g[0] / norm;
      uy = -g[1] / norm;
      snprintf(name, sizeof name, "-∇z/|∇z|");
    }
    double predicted = delta * (g[0] * ux + g[1] * uy);
    double actual = nn_descent_peaks_xy(x0 + delta * ux, y0 + delta * uy) - z0;
    if (k < 8)
      best = GSL_MIN(best, actual);
    lesson_printf(L, "  %s %+.6e  %+.6e\n", lesson_pad(L, name, 18), predicted, actual);
  }
  if (norm > 0)
    lesson_printf(L, "-∇z lowers z by %.6e; the best of the eight axes-and-diagonals"
                  " by %.6e\n(to first order the drop along -∇z is δ|∇z| = %.6e)\n",
                  -(nn_descent_peaks_xy(x0 - delta * g[0] / norm,
                                        y0 - delta * g[1] / norm) - z0),
                  -best, delta * norm);
}

/// ## 3. The same loop, in 2D
///
/// Gradient descent in 2D is the loop of lecture 5 with a vector in place
/// of a number. Guess a start (x_0, y_0), then repeat
///
///     x_{t+1} = x_t - η ∂z/∂x(x_t, y_t)
///     y_{t+1} = y_t - η ∂z/∂y(x_t, y_t)
///
/// or, in one line, p_{t+1} = p_t - η ∇z(p_t). Both partial derivatives
/// are measured at the *same* point before either coordinate moves: all
/// parameters are updated at once. With a network, p is the vector of
/// all weights and z the cost; each weight moves against its own partial
/// derivative, by the same rule.
///
/// The run below starts at (`--start-x`, `--start-y`) with learning rate
/// `--lr` for `--epochs` steps (`--ascent` makes it climb). First, one
/// step spelled out (also drawn as the graph `descent-step`):

static void
descent_loop(lesson *L, const landscape *land)
{
  LESSON_PROSE(L);
  nn_descent_path *path = nn_descent_path_alloc(2, (size_t) epochs);
  run_from(&peaks_fn, start_x, start_y, ascent, path);
  const char *verb = ascent ? "climbs" : "descends";
  const char sign = ascent ? '+' : '-';

  double g0[2] = {gsl_matrix_get(path->grad, 0, 0), gsl_matrix_get(path->grad, 0, 1)};
  lesson_printf(L, "p_0 = (%s, %s), z = %s\n", lesson_num(L, px(path, 0)),
                lesson_num(L, py(path, 0)), lesson_num(L, pz(path, 0)));
  lesson_printf(L, "∇z(p_0) = (%s, %s)\n", lesson_num(L, g0[0]), lesson_num(L, g0[1]));
  lesson_printf(L, "x_1 = x_0 %c η ∂z/∂x = %s %c %s·(%s) = %s\n", sign,
                lesson_num(L, px(path, 0)), sign, lesson_num(L, lr),
                lesson_num(L, g0[0]), lesson_num(L, px(path, 1)));
  lesson_printf(L, "y_1 = y_0 %c η ∂z/∂y = %s %c %s·(%s) = %s\n", sign,
                lesson_num(L, py(path, 0)), sign, lesson_num(L, lr),
                lesson_num(L, g0[1]), lesson_num(L, py(path, 1)));
  lesson_printf(L, "z(p_1) = %s (%s by %s)\n", lesson_num(L, pz(path, 1)),
                pz(path, 1) < pz(path, 0) ? "lower" : "higher",
                lesson_num(L, fabs(pz(path, 1) - pz(path, 0))));

  nn_graph *g = lesson_graph(L, "descent-step");
  char label[256];
  snprintf(label, sizeof label, "One step of gradient %s in 2D (η = %s): each "
           "coordinate moves %s its own partial derivative, both at once",
           ascent ? "ascent" : "descent", lesson_num(L, lr),
           ascent ? "along" : "against");
  nn_graph_attr(g, "label", label);
  nn_graph_attr(g, "ranksep", "0.9");
  nn_graph_style point = {.shape = "box", .fillcolor = "#dbe9f6", .has_rank = 1};
  nn_graph_style partial = {.shape = "box", .fillcolor = "#fff3cd", .has_rank = 1,
                            .rank = 1};
  nn_graph_style height = {.shape = "ellipse", .fillcolor = "#f2f2f2",
                           .has_rank = 1, .rank = 0};
  snprintf(label, sizeof label, "z(x₀, y₀) = %.6g", pz(path, 0));
  nn_graph_node(g, "z0", label, &height);  /* first: it goes on top */
  snprintf(label, sizeof label, "x₀ = %s", lesson_num(L, px(path, 0)));
  nn_graph_node(g, "x0", label, &point);
  snprintf(label, sizeof label, "y₀ = %s", lesson_num(L, py(path, 0)));
  nn_graph_node(g, "y0", label, &point);
  snprintf(label, sizeof label, "∂z/∂x = %.6g", g0[0]);
  nn_graph_node(g, "dx", label, &partial);
  snprintf(label, sizeof label, "∂z/∂y = %.6g", g0[1]);
  nn_graph_node(g, "dy", label, &partial);
  point.rank = 2;
  snprintf(label, sizeof label, "x₁ = x₀ %c η ∂z/∂x\n= %.6g", sign, px(path, 1));
  nn_graph_node(g, "x1", label, &point);
  snprintf(label, sizeof label, "y₁ = y₀ %c η ∂z/∂y\n= %.6g", sign, py(path, 1));
  nn_graph_node(g, "y1", label, &point);
  height.rank = 3;
  snprintf(label, sizeof label, "z(x₁, y₁) = %.6g\n(%s by %.3g)", pz(path, 1),
           pz(path, 1) < pz(path, 0) ? "lower" : "higher",
           fabs(pz(path, 1) - pz(path, 0)));
  nn_graph_node(g, "z1", label, &height);
  nn_graph_style faint = {.color = "#999999"};
  nn_graph_style strong = {.color = "#0072b2", .fontcolor = "#0072b2", .penwidth = 2};
  nn_graph_edge(g, "x0", "dx", NULL, &faint);
  nn_graph_edge(g, "y0", "dx", NULL, &faint);
  nn_graph_edge(g, "x0", "dy", NULL, &faint);
  nn_graph_edge(g, "y0", "dy", NULL, &faint);
  nn_graph_edge(g, "x0", "x1", NULL, &strong);
  nn_graph_edge(g, "y0", "y1", NULL, &strong);
  snprintf(label, sizeof label, "× %s%s", ascent ? "" : "-", lesson_num(L, lr));
  nn_graph_edge(g, "dx", "x1", label, &strong);
  nn_graph_edge(g, "dy", "y1", label, &strong);
  nn_graph_edge(g, "x1", "z1", NULL, &faint);
  nn_graph_edge(g, "y1", "z1", NULL, &faint);
  lesson_show_graph(L, g);
  nn_graph_free(g);

  /// The whole run, every tenth of the way: the point, its height and the
  /// length of the gradient, which shrinks as the run settles into a
  /// flat place (the bottom of a pit, where ∇z = 0).
  LESSON_PROSE(L);
  lesson_printf(L, "  epoch   x                  y                  z"
                   "                  |∇z|\n");
  const size_t T = path->steps, every = T >= 10 ? T / 10 : 1;
  for (size_t t = 0; t <= T; t++)
    if (t % every == 0 || t == T)
      lesson_printf(L, "  %-7zu %s %s %s %.3e\n", t, lesson_pad(L, lesson_num(L, px(path, t)), 18),
                    lesson_pad(L, lesson_num(L, py(path, t)), 18),
                    lesson_pad(L, lesson_num(L, pz(path, t)), 18), pgrad(path, t));
  size_t wrong_way = 0;  /* steps that moved z the wrong way, beyond rounding */
  for (size_t t = 0; t < T; t++) {
    double change = pz(path, t + 1) - pz(path, t);
    if ((ascent ? -change : change) > 1e-12)
      wrong_way++;
  }
  lesson_printf(L, "The run %s from z = %s to z = %s in %zu step%s.\n", verb,
                lesson_num(L, pz(path, 0)), lesson_num(L, pz(path, T)), T,
                T == 1 ? "" : "s");
  lesson_printf(L, "Steps where z went %s (by more than rounding, 1e-12): %zu\n",
                ascent ? "down" : "up", wrong_way);
  double lo, hi;
  peaks_curvatures(px(path, T), py(path, T), &lo, &hi);
  const char *where = "still sloping: more epochs, or a larger rate, would go on";
  if (pgrad(path, T) < SETTLED)
    where = !ascent && lo > 0.1 ? "the bottom of a pit, the run has settled"
            : ascent && hi < -0.1 ? "the top of a hill, the run has settled"
            : "almost flat, but no pit or top: the plain, where runs crawl";
  lesson_printf(L, "At the end |∇z| = %.3e: %s\n", pgrad(path, T), where);

  /// With a small enough learning rate every step goes the right way:
  /// close to a point the surface is nearly its tangent plane, and the step
  /// follows the plane's steepest slope. With a rate too large the step
  /// jumps past the bottom, as in 1D: try `--lr 0.1`. The height at every
  /// epoch (figure `peaks-z-per-epoch`):
  LESSON_PROSE(L);
  double *zt = malloc(2 * (T + 1) * sizeof *zt);
  if (zt == NULL)
    GSL_ERROR_VOID("descent_loop: out of memory", GSL_ENOMEM);
  for (size_t t = 0; t <= T; t++) {
    zt[t] = (double) t;
    zt[T + 1 + t] = pz(path, t);
  }
  nn_plot *p = lesson_plot(L, "peaks-z-per-epoch");
  char title[160], legend[96], at[64];
  snprintf(title, sizeof title, "Gradient %s on peaks from %s, η = %s",
           ascent ? "ascent" : "descent",
           point_text(L, start_x, start_y, at, sizeof at), lesson_num(L, lr));
  nn_plot_title(p, title);
  nn_plot_labels(p, "epoch t", "z = peaks(x_t, y_t)");
  snprintf(legend, sizeof legend, "z at epoch t");
  nn_plot_series(p, legend, zt, zt + T + 1, T + 1, "lines lw 3 lc rgb '#0072b2'");
  lesson_show_plot(L, p);
  nn_plot_free(p);
  free(zt);

  /// And the run on the surface itself (figure `peaks-surface-path`): a
  /// ball rolling downhill, if the ball had no momentum and took steps
  /// proportional to the slope.
  LESSON_PROSE(L);
  p = lesson_plot(L, "peaks-surface-path");
  nn_plot_3d(p);
  snprintf(title, sizeof title, "Gradient %s on the peaks surface from %s",
           ascent ? "ascent" : "descent", at);
  nn_plot_title(p, title);
  nn_plot_labels(p, "x", "y");
  nn_plot_set(p, "zlabel 'z' rotate by 0");
  nn_plot_set(p, "view 50, 30, 1, 1.1");
  nn_plot_set(p, "hidden3d front");
  nn_plot_set(p, "zrange [-7:9]");
  nn_plot_set(p, "ztics -6, 2, 8");
  nn_plot_set(p, "xrange [%g:%g]", -EXTENT, EXTENT);
  nn_plot_set(p, "yrange [%g:%g]", -EXTENT, EXTENT);
  gsl_vector_view xs = gsl_vector_subvector_with_stride(land->x, 0, 3, 41);
  gsl_vector_view ys = gsl_vector_subvector_with_stride(land->y, 0, 3, 41);
  gsl_matrix *zs = gsl_matrix_alloc(41, 41);
  for (size_t i = 0; i < 41; i++)
    for (size_t j = 0; j < 41; j++)
      gsl_matrix_set(zs, i, j, gsl_matrix_get(land->z, 3 * i, 3 * j));
  /* The surface as a wire frame with hidden lines removed, and the path
   * left out of that removal (nohidden3d): it is drawn over the surface,
   * never hidden behind the rim of the pit it runs into. */
  nn_plot_grid(p, NULL, &xs.vector, &ys.vector, zs, "lines lc rgb '#8a9bb0' lw 0.8");
  snprintf(legend, sizeof legend, "the %zu steps of the run", T);
  plot_path(p, legend, path,
            "linespoints lw 3 pt 7 ps 0.8 lc rgb '#d55e00' nohidden3d");
  lesson_save_plot(L, p);
  nn_plot_free(p);
  gsl_matrix_free(zs);
  nn_descent_path_free(path);
  lesson_try(L, "predict what a five times larger rate does to this run, then run "
             "`make lecture6 ARGS='--lr 0.1'`; and climb with `--ascent`.");
}

/* ===== Where the runs end ===== */

/* The flat points the runs settle on, each found once and then counted. */
typedef struct flat_point {
  double x, y, z;  /* where it is and its height */
  size_t count;    /* runs that ended there */
} flat_point;

typedef struct flat_points {
  flat_point at[16];
  size_t n;
} flat_points;

/* The index of the extremum a run ended at, adding it when it is new (two
 * ends closer than 0.01 are the same point). A run has found a minimum
 * (up = 0) when the gradient has all but vanished and the surface curves
 * up in every direction; a maximum (up = 1) when it curves down. -1 when
 * the run has found neither (or the list is full). */
static int
settle(flat_points *fp, const nn_descent_path *path, int up)
{
  const size_t T = path->steps;
  if (!(pgrad(path, T) < SETTLED))
    return -1;
  double x = px(path, T), y = py(path, T), lo, hi;
  peaks_curvatures(x, y, &lo, &hi);
  if (up ? !(hi < -0.1) : !(lo > 0.1))
    return -1;
  for (size_t k = 0; k < fp->n; k++)
    if (hypot(fp->at[k].x - x, fp->at[k].y - y) < 0.01) {
      fp->at[k].count++;
      return (int) k;
    }
  if (fp->n == sizeof fp->at / sizeof fp->at[0])
    return -1;
  fp->at[fp->n] = (flat_point){x, y, pz(path, T), 1};
  return (int) fp->n++;
}

/// ## 4. Where you start decides where you end
///
/// Descent only ever looks at the slope under its feet. It walks down into
/// whichever pit it starts above and stops at its bottom, a **local
/// minimum**: a point lower than everything around it, though maybe not
/// the lowest of all (the **global minimum**). Three starts, one above
/// each pit, with the same learning rate and epochs:

static void
starts_decide(lesson *L, const landscape *land)
{
  LESSON_PROSE(L);
  nn_descent_path *path = nn_descent_path_alloc(2, (size_t) epochs);
  flat_points minima = {.n = 0};
  char at[64], legend[160];
  nn_plot *p = peaks_map(L, land, "peaks-descent-paths",
                         "Gradient descent on peaks from four starts");
  double ends[2][N_FIXED + 1];  /* where each run stops, for the markers */
  double starts[2][N_FIXED + 1], heights[2][N_FIXED + 1];
  lesson_printf(L, "  start          end                               z at the end"
                   "         |∇z|\n");
  for (size_t k = 0; k <= N_FIXED; k++) {
    /* the three fixed starts, then the start of section 3 */
    double x0 = k < N_FIXED ? fixed_starts[k][0] : start_x;
    double y0 = k < N_FIXED ? fixed_starts[k][1] : start_y;
    run_from(&peaks_fn, x0, y0, 0, path);
    const size_t T = path->steps;
    int m = settle(&minima, path, 0);
    lesson_printf(L, "  %s %s %s %.2e%s\n",
                  lesson_pad(L, point_text(L, x0, y0, at, sizeof at), 14),
                  lesson_pad(L, point_text(L, round(px(path, T) * 1e6) / 1e6,
                                           round(py(path, T) * 1e6) / 1e6,
                                           legend, sizeof legend), 33),
                  lesson_pad(L, lesson_num(L, pz(path, T)), 20), pgrad(path, T),
                  k == N_FIXED ? "  (section 3's start)" : "");
    if (m < 0)
      lesson_printf(L, "    (no minimum after %d epoch%s)\n", epochs,
                    epochs == 1 ? "" : "s");
    snprintf(legend, sizeof legend, "from %s to z = %.3f", at, pz(path, T));
    char style[96];
    snprintf(style, sizeof style, "lines lw 3 lc rgb '%s'", path_colours[k % 4]);
    plot_path(p, legend, path, style);
    starts[0][k] = x0;
    starts[1][k] = y0;
    ends[0][k] = px(path, T);
    ends[1][k] = py(path, T);
    heights[0][k] = pz(path, 0);
    heights[1][k] = pz(path, T);
  }
  /* white markers with a black rim: seen on dark and light colours alike */
  nn_plot_series3d(p, NULL, starts[0], starts[1], heights[0], N_FIXED + 1,
                   "points pt 7 ps 1.7 lc rgb '#ffffff'");
  nn_plot_series3d(p, "start", starts[0], starts[1], heights[0], N_FIXED + 1,
                   "points pt 6 ps 1.7 lw 2 lc rgb '#000000'");
  nn_plot_series3d(p, NULL, ends[0], ends[1], heights[1], N_FIXED + 1,
                   "points pt 5 ps 1.5 lc rgb '#ffffff'");
  nn_plot_series3d(p, "end", ends[0], ends[1], heights[1], N_FIXED + 1,
                   "points pt 4 ps 1.5 lw 2 lc rgb '#000000'");
  lesson_show_plot(L, p);
  nn_plot_free(p);
  lesson_printf(L, "Different starts, different minima: %zu distinct minima"
                " reached.\n", minima.n);

  /// The map `peaks-descent-paths` shows the four runs from above: each
  /// path crosses the contour lines at right angles, because the gradient
  /// is perpendicular to the contour line through its point (along a
  /// contour line z does not change, so ∇z · u = 0 there).
  ///
  /// **Random restarts.** A cheap defence against a bad pit is to start
  /// many times from random points and keep the best end. Here are
  /// `--restarts` starts drawn uniformly over the square [-3, 3]², each
  /// run for `--epochs` steps, and where they ended up:
  LESSON_PROSE(L);
  size_t unsettled = 0, on_plain = 0;
  for (size_t k = 0; k < minima.n; k++)  /* from now on, count the restarts */
    minima.at[k].count = 0;
  for (int r = 0; r < restarts; r++) {
    double x0 = -EXTENT + 2 * EXTENT * gsl_rng_uniform(L->rng);
    double y0 = -EXTENT + 2 * EXTENT * gsl_rng_uniform(L->rng);
    run_from(&peaks_fn, x0, y0, 0, path);
    if (settle(&minima, path, 0) < 0) {
      unsettled++;
      on_plain += fabs(pz(path, path->steps)) < PLAIN;
    }
  }
  size_t lowest = 0;
  for (size_t k = 1; k < minima.n; k++)
    if (minima.at[k].z < minima.at[lowest].z)
      lowest = k;
  lesson_printf(L, "  minimum at                        z                    "
                "runs that ended there\n");
  for (size_t k = 0; k < minima.n; k++)
    lesson_printf(L, "  %s %s %zu of %d%s\n",
                  lesson_pad(L, point_text(L, round(minima.at[k].x * 1e4) / 1e4,
                                           round(minima.at[k].y * 1e4) / 1e4, at,
                                           sizeof at), 33),
                  lesson_pad(L, lesson_num(L, minima.at[k].z), 20), minima.at[k].count, restarts,
                  k == lowest ? "  (the lowest)" : "");
  char what[96];
  snprintf(what, sizeof what, "  no minimum after %d epoch%s", epochs,
           epochs == 1 ? "" : "s");
  lesson_printf(L, "%s %zu of %d\n", lesson_pad(L, what, 55), unsettled, restarts);
  snprintf(what, sizeof what, "    of these, on the flat plain (|z| < %g)", PLAIN);
  lesson_printf(L, "%s %zu\n", lesson_pad(L, what, 55), on_plain);
  lesson_printf(L, "%s %zu\n", lesson_pad(L, "    and still on their way down", 55),
                unsettled - on_plain);

  /// The lowest minimum found is the global minimum of peaks, which the
  /// grid of section 1 located too; with enough restarts one of them lands
  /// in its pit. Many restarts begin on the flat plain that covers most of
  /// the square, where the gradient is so small that η∇z barely moves
  /// them: section 6 comes back to that. (A run counts as having found a
  /// minimum when |∇z| < 0.001 and the surface curves up in every
  /// direction there: both eigenvalues of the *Hessian*, the matrix of
  /// second derivatives, are positive.)
  ///
  /// In a real network, local minima matter less than this picture
  /// suggests. With millions of parameters, a point where *every* one of
  /// them sits at the bottom of a pit is rare; most flat points are
  /// saddles (down in some directions, up in others), which descent
  /// escapes, and the minima it does find tend to have costs close to one
  /// another.
  LESSON_PROSE(L);
  nn_descent_path_free(path);
  lesson_try(L, "predict how many of 20 restarts find the lowest pit, then run "
             "`make lecture6 ARGS='--restarts 20'`, and again with `--seed 2`.");
}

/// ## 5. Code challenge: gradient ascent, both ways
///
/// Sometimes we want the top of a hill instead: the input that excites a
/// neuron the most, the largest reward. Two ways to climb:
///
/// Change the loop of section 3 so that it climbs. There are two ways
/// to do it, and they give the same path.

static void
ascent_both_ways(lesson *L, const landscape *land)
{
  LESSON_PROSE(L);
  if (lesson_challenge(L, "Find both ways to make gradient descent climb, and say why "
                       "they take exactly the same steps."))
    lesson_printf(L, "1. Flip the sign of the step: p ← p + η ∇z, walking along the "
                  "gradient instead\n   of against it (nn_descent_options.ascent = 1).\n"
                  "2. Descend -z: the highest point of z is the lowest point of -z, and "
                  "∇(-z) = -∇z,\n   so descending -z takes the step "
                  "p ← p - η (-∇z) = p + η ∇z.\n"
                  "Algebra says both are the same step, and in floating point they are "
                  "the same bit\nfor bit: negating a number is exact.\n");
  lesson_printf(L, "\nBoth ways, from the same three starts as before:\n");
  nn_descent_path *up = nn_descent_path_alloc(2, (size_t) epochs);
  nn_descent_path *down = nn_descent_path_alloc(2, (size_t) epochs);
  flat_points maxima = {.n = 0};
  char at[64], end[64], legend[160], style[96];
  nn_plot *p = peaks_map(L, land, "peaks-ascent-paths",
                         "Gradient ascent on peaks, two ways: p + η∇z, and p − η∇(−z)");
  lesson_printf(L, "  start          top reached                      z at the top"
                "         paths differ by\n");
  for (size_t k = 0; k < N_FIXED; k++) {
    const double x0 = fixed_starts[k][0], y0 = fixed_starts[k][1];
    run_from(&peaks_fn, x0, y0, 1, up);        /* way 1: flip the sign */
    run_from(&neg_peaks_fn, x0, y0, 0, down);  /* way 2: descend -peaks */
    const size_t T = up->steps;
    double differ = 0;  /* the largest difference between the two paths */
    for (size_t t = 0; t <= T; t++)
      for (size_t c = 0; c < 2; c++)
        differ = GSL_MAX(differ, fabs(gsl_matrix_get(up->x, t, c)
                                      - gsl_matrix_get(down->x, t, c)));
    settle(&maxima, up, 1);
    char z_end[32];  /* printed here: lesson_num's eight buffers are all in use */
    snprintf(z_end, sizeof z_end, "%.6g", pz(up, T));
    lesson_printf(L, "  %s %s %-20s %s\n",
                  lesson_pad(L, point_text(L, x0, y0, at, sizeof at), 14),
                  lesson_pad(L, point_text(L, round(px(up, T) * 1e6) / 1e6,
                                           round(py(up, T) * 1e6) / 1e6, end,
                                           sizeof end), 32),
                  z_end, lesson_num(L, differ));
    lesson_printf(L, "    -z at the end of way 2: %s  (= -(%s))\n",
                  lesson_num(L, pz(down, T)), lesson_num(L, pz(up, T)));
    snprintf(legend, sizeof legend, "from %s up to z = %.3f", at, pz(up, T));
    snprintf(style, sizeof style, "lines lw 5 lc rgb '%s'", path_colours[k % 4]);
    plot_path(p, legend, up, style);
    /* way 2 on top of way 1, as points: its heights are -(-z) = z */
    gsl_vector_scale(down->f, -1.0);
    plot_path(p, k + 1 == N_FIXED ? "descending -z (every path)" : NULL, down,
              "points pt 6 ps 0.9 lw 1.5 lc rgb '#000000'");
  }
  lesson_save_plot(L, p);
  nn_plot_free(p);
  lesson_printf(L, "Three starts, %zu different tops; both ways give the same path.\n",
                maxima.n);

  /// The last column is the largest distance between the two paths at
  /// any epoch: 0, the same path (in the map `peaks-ascent-paths` the
  /// black rings of "descending -z" sit on the lines of "flip the
  /// sign"). This is why
  /// libraries only ever minimise: to maximise a reward R, they minimise
  /// the loss -R.
  LESSON_PROSE(L);
  nn_descent_path_free(up);
  nn_descent_path_free(down);
  lesson_try(L, "predict which top a climb from (0, 0) reaches, then run "
             "`make lecture6 ARGS='--ascent --start-x 0 --start-y 0'`.");
}

/// ## 6. The running problem: two weights at once
///
/// The running problem of lectures 2 to 5: twenty noisy "exclusive or"
/// points, the 2-2-1 sigmoid network set by hand, and its cost J, the mean
/// squared error. Lecture 5 walked one of its nine weights; now walk two
/// (`--weights`, v1 and c by default), the seven others held at their
/// hand-set values. J is then a surface over the plane of those two
/// weights, like peaks, and the loop is the loop of section 3:
///
///     A ← A - η ∂J/∂A,    B ← B - η ∂J/∂B      (both measured first)
///
/// The two partial derivatives come from the chain rule, written out in
/// lectures/running.h; for the default pair, with
/// δ_i = (2/N)(ŷ_i - y_i) ŷ_i (1 - ŷ_i) the part every partial shares,
///
///     ∂J/∂c = Σ_i δ_i          ∂J/∂v₁ = Σ_i δ_i h₁(x_i)
///
/// The walk starts at `--weights-from` with the rate `--running-lr`, for
/// `--epochs` steps.

/* J over two of the running problem's parameters, the others fixed: a
 * gsl_multimin_function_fdf of the point (A, B). */
typedef struct two_weights {
  running_net net;      /* the other parameters' values */
  const nn_data *data;  /* the running problem's points */
  size_t index[2];      /* the two parameters that move (running_param order) */
} two_weights;

static running_net
two_weights_at(const two_weights *w, double a, double b)
{
  running_net net = w->net;
  *running_param(&net, w->index[0]) = a;
  *running_param(&net, w->index[1]) = b;
  return net;
}

static double
two_cost(const gsl_vector *v, void *params)
{
  const two_weights *w = params;
  running_net net = two_weights_at(w, gsl_vector_get(v, 0), gsl_vector_get(v, 1));
  return running_cost(&net, w->data);
}

static void
two_grad(const gsl_vector *v, void *params, gsl_vector *grad)
{
  const two_weights *w = params;
  running_net net = two_weights_at(w, gsl_vector_get(v, 0), gsl_vector_get(v, 1)), g;
  running_cost_grad(&net, w->data, &g);
  gsl_vector_set(grad, 0, *running_param(&g, w->index[0]));
  gsl_vector_set(grad, 1, *running_param(&g, w->index[1]));
}

static void
two_fdf(const gsl_vector *v, void *params, double *f, gsl_vector *grad)
{
  *f = two_cost(v, params);
  two_grad(v, params, grad);
}

static void
running_two_weights(lesson *L)
{
  LESSON_PROSE(L);
  nn_data *data = running_data(running_sd, RUNNING_SEED);
  two_weights w = {.data = data, .index = {walked[0], walked[1]}};
  running_hand_set(&w.net, scale);
  const char *A = running_param_name(walked[0]), *B = running_param_name(walked[1]);
  const double hand[2] = {*running_param(&w.net, walked[0]),
                          *running_param(&w.net, walked[1])};
  gsl_multimin_function_fdf fn = {two_cost, two_grad, two_fdf, 2, &w};
  lesson_printf(L, "%zu points, spread %s; hand-set weights with k = %s: %s = %s, "
                "%s = %s, J = %s\n", data->X->size1, lesson_num(L, running_sd),
                lesson_num(L, scale), A, lesson_num(L, hand[0]), B,
                lesson_num(L, hand[1]), lesson_num(L, running_cost(&w.net, data)));

  /* The partials at the start, by the chain rule and by central differences. */
  double from[2] = {walked_from[0], walked_from[1]}, g[2], n[2], err;
  gsl_vector_view fv = gsl_vector_view_array(from, 2);
  gsl_vector_view gv = gsl_vector_view_array(g, 2), nv = gsl_vector_view_array(n, 2);
  two_grad(&fv.vector, &w, &gv.vector);
  nn_gradcheck_numerical(&nv.vector, two_cost, &w, &fv.vector, NN_GRADCHECK_STEP);
  nn_gradcheck_relative_error(&err, NULL, &gv.vector, &nv.vector);
  lesson_printf(L, "at the start (%s, %s) = (%s, %s): J = %s\n", A, B,
                lesson_num(L, from[0]), lesson_num(L, from[1]),
                lesson_num(L, two_cost(&fv.vector, &w)));
  lesson_printf(L, "  chain rule          ∂J/∂%s = %s, ∂J/∂%s = %s\n", A,
                lesson_num(L, g[0]), B, lesson_num(L, g[1]));
  lesson_printf(L, "  central differences ∂J/∂%s ≈ %s, ∂J/∂%s ≈ %s   relative error "
                "%.1e\n", A, lesson_num(L, n[0]), B, lesson_num(L, n[1]), err);

  nn_descent_path *path = nn_descent_path_alloc(2, (size_t) epochs);
  nn_descent_options opt = {.lr = running_lr, .epochs = (size_t) epochs};
  nn_descent_run_2d(&fn, &fv.vector, &opt, path);
  const size_t T = path->steps, every = T >= 10 ? T / 10 : 1;
  char dA[16], dB[16];
  snprintf(dA, sizeof dA, "∂J/∂%s", A);
  snprintf(dB, sizeof dB, "∂J/∂%s", B);
  lesson_printf(L, "\n  epoch   %s %s J                    %s %s\n",
                lesson_pad(L, A, 18), lesson_pad(L, B, 18), lesson_pad(L, dA, 20), dB);
  for (size_t t = 0; t <= T; t++)
    if (t % every == 0 || t == T)
      lesson_printf(L, "  %-7zu %-18s %-18s %-20s %-20s %s\n", t,
                    lesson_num(L, px(path, t)), lesson_num(L, py(path, t)),
                    lesson_num(L, pz(path, t)),
                    lesson_num(L, gsl_matrix_get(path->grad, t, 0)),
                    lesson_num(L, gsl_matrix_get(path->grad, t, 1)));
  running_net end = two_weights_at(&w, px(path, T), py(path, T));
  lesson_printf(L, "J went from %s to %s in %zu steps; accuracy %s (hand-set: %s)\n",
                lesson_num(L, pz(path, 0)), lesson_num(L, pz(path, T)), T,
                lesson_num(L, running_accuracy(&end, data)),
                lesson_num(L, running_accuracy(&w.net, data)));

  /// The surface J over the two weights as a map seen from above, with
  /// its contour lines, the walk drawn on it, and the hand-set point
  /// (figure `running-two-weights`, drawn below). As on peaks, the walk
  /// crosses the contour lines at right angles.
  LESSON_PROSE(L);
  double lo[2], hi[2];
  for (int c = 0; c < 2; c++) {
    lo[c] = GSL_MIN(hand[c], walked_from[c]);
    hi[c] = GSL_MAX(hand[c], walked_from[c]);
    for (size_t t = 0; t <= T; t++) {
      double v = gsl_matrix_get(path->x, t, (size_t) c);
      lo[c] = GSL_MIN(lo[c], v);
      hi[c] = GSL_MAX(hi[c], v);
    }
    const double margin = GSL_MAX(2.0, 0.25 * (hi[c] - lo[c]));
    lo[c] -= margin;
    hi[c] += margin;
  }
  enum { G = 61 };
  gsl_vector *gx = gsl_vector_alloc(G), *gy = gsl_vector_alloc(G);
  gsl_matrix *gz = gsl_matrix_alloc(G, G);
  for (size_t i = 0; i < G; i++) {
    gsl_vector_set(gx, i, lo[0] + (hi[0] - lo[0]) * (double) i / (G - 1));
    gsl_vector_set(gy, i, lo[1] + (hi[1] - lo[1]) * (double) i / (G - 1));
  }
  for (size_t i = 0; i < G; i++)
    for (size_t j = 0; j < G; j++) {
      running_net net = two_weights_at(&w, gsl_vector_get(gx, j), gsl_vector_get(gy, i));
      gsl_matrix_set(gz, i, j, running_cost(&net, data));
    }
  nn_plot *p = lesson_plot(L, "running-two-weights");
  nn_plot_3d(p);
  char title[200], legend[96];
  snprintf(title, sizeof title, "Gradient descent on the running problem's cost over "
           "%s and %s (η = %s)", A, B, lesson_num(L, running_lr));
  nn_plot_title(p, title);
  nn_plot_labels(p, A, B);
  nn_plot_set(p, "view map");
  nn_plot_set(p, "size ratio -1");  /* equal units: the walk meets contours square */
  nn_plot_set(p, "contour base");
  nn_plot_set(p, "cntrparam levels incremental 0.025,0.05,0.5");
  nn_plot_set(p, "cntrlabel onecolor");
  nn_plot_set(p, "cblabel 'J'");
  nn_plot_set(p, "xrange [%.17g:%.17g]", lo[0], hi[0]);
  nn_plot_set(p, "yrange [%.17g:%.17g]", lo[1], hi[1]);
  nn_plot_set(p, "key outside left top Left reverse samplen 2 spacing 1.3");
  nn_plot_grid(p, NULL, gx, gy, gz, "image nocontours");
  nn_plot_grid(p, NULL, gx, gy, gz, "lines lc rgb '#ffffff' lw 1 nosurface");
  snprintf(legend, sizeof legend, "the walk, %zu steps", T);
  plot_path(p, legend, path, "linespoints lw 2 pt 7 ps 0.6 lc rgb '#d55e00' nocontours");
  double hz = running_cost(&w.net, data);
  nn_plot_series3d(p, "hand-set", &hand[0], &hand[1], &hz, 1,
                   "points pt 9 ps 2.5 lc rgb '#000000' nocontours");
  lesson_show_plot(L, p);
  nn_plot_free(p);
  gsl_vector_free(gx);
  gsl_vector_free(gy);
  gsl_matrix_free(gz);
  nn_descent_path_free(path);
  nn_data_free(data);
  lesson_try(L, "predict where a walk from (0, 0) ends and how many points it gets "
             "right, then run `make lecture6 ARGS='--weights-from 0,0'`; then walk two "
             "other weights: `--weights w11,b1 --weights-from 2,2`.");
}

/// ## 7. Vanishing and exploding gradients
///
/// The step is η∇z, so it is only as large as the gradient. Where the
/// surface is almost flat the gradient **vanishes** and descent crawls,
/// however far the nearest pit is. On the plain of peaks:

static void
vanishing_and_exploding(lesson *L)
{
  LESSON_PROSE(L);
  nn_descent_path *path = nn_descent_path_alloc(2, (size_t) epochs);
  run_from(&peaks_fn, 2.5, 2.5, 0, path);
  const size_t T = path->steps;
  lesson_printf(L, "start (2.5, 2.5): z = %s, |∇z| = %.3e\n", lesson_num(L, pz(path, 0)),
                pgrad(path, 0));
  lesson_printf(L, "after %zu steps with η = %s: moved %.3e, z = %s, |∇z| = %.3e\n",
                T, lesson_num(L, lr),
                hypot(px(path, T) - px(path, 0), py(path, T) - py(path, 0)),
                lesson_num(L, pz(path, T)), pgrad(path, T));
  nn_descent_path_free(path);

  /// A network meets flat places for a reason of its own: its units
  /// **saturate**. The sigmoid σ(a) flattens out for large |a|, and its
  /// slope σ'(a) = σ(a)(1 - σ(a)) is at most 1/4 (at a = 0) and almost 0
  /// beyond |a| = 5. Every partial derivative of the running problem
  /// carries such a slope as a factor: δ_i has ŷ_i(1 - ŷ_i), and the
  /// partials of the first layer's weights have h(1 - h) as well. Large
  /// weights push the units far into their flat tails, where the cost
  /// barely changes when a weight moves. The running problem's hand-set
  /// network at several scales k (all nine weights multiplied), the
  /// gradient at the start (c = 0, the rest hand-set):
  LESSON_PROSE(L);
  nn_data *data = running_data(running_sd, RUNNING_SEED);
  static const double ks[] = {0.5, 1, 2, 5, 10, 20};
  lesson_printf(L, "  k      J at c = 0   largest |∂J/∂θ|   mean σ' of the output   "
                "mean σ' of the hidden units\n");
  for (size_t k = 0; k < sizeof ks / sizeof ks[0]; k++) {
    running_net net, grad;
    running_hand_set(&net, ks[k]);
    net.c = 0;
    running_cost_grad(&net, data, &grad);
    double largest = 0, out_slope = 0, hidden_slope = 0;
    for (size_t i = 0; i < RUNNING_N_PARAMS; i++)
      largest = GSL_MAX(largest, fabs(*running_param(&grad, i)));
    const size_t N = data->X->size1;
    for (size_t i = 0; i < N; i++) {
      double x[2] = {gsl_matrix_get(data->X, i, 0), gsl_matrix_get(data->X, i, 1)}, h[2];
      double y = running_predict(&net, x, h);
      out_slope += y * (1 - y) / (double) N;
      hidden_slope += (h[0] * (1 - h[0]) + h[1] * (1 - h[1])) / (2.0 * (double) N);
    }
    lesson_printf(L, "  %-6s %-12.4g %-17.3e %-23.3e %.3e\n", lesson_num(L, ks[k]),
                  running_cost(&net, data), largest, out_slope, hidden_slope);
  }
  nn_data_free(data);

  /// The same network, the same wrong bias c = 0, and yet at k = 20 the
  /// largest partial is many orders of magnitude smaller than at k = 1:
  /// the output is saturated, wrongly sure of itself, and descent hardly
  /// moves it (lecture 5 needed a rate of 20 to walk c at all). The
  /// opposite also happens: where slopes multiply to something large, the
  /// gradient **explodes**, one step throws the weights far away, and the
  /// cost jumps or overflows. Lecture 7 shows, with the chain rule across
  /// layers, why both get worse as a network gets deeper.
  ///
  /// **What to do about it** (each comes back later in the course):
  ///
  /// - use models with **few hidden layers** where that is enough;
  /// - use activation functions that **do not saturate**, such as ReLU
  ///   (slope 1 wherever it is active) in the hidden layers;
  /// - **weight normalization**, and careful initialisation that keeps
  ///   the weights small enough for the units to work on their slopes;
  /// - **pre-train** the network, for instance layer by layer as an
  ///   autoencoder, so that training starts from useful weights;
  /// - **regularization** techniques such as batch normalization,
  ///   dropout and weight decay (lecture 10), which keep the weights and
  ///   the units' inputs at a steady scale;
  /// - architectures with skip connections, such as **residual networks**
  ///   (resnet), which give the gradient a path around the layers;
  /// - against explosions, **gradient clipping** (lecture 9) and a smaller
  ///   learning rate.
  LESSON_PROSE(L);
  lesson_try(L, "predict J and the largest partial at k = 10 with a wider spread, then "
             "run `make lecture6 ARGS='--running-sd 0.4'`.");
}

/// ## What to remember
///
/// - A partial derivative moves one input and holds the others; the
///   gradient ∇f lists them all and points uphill; -∇f is the steepest
///   way down, and |∇f| the slope there.
/// - Gradient descent in any dimension: p ← p - η∇f(p), every coordinate
///   at once. Check a hand-made gradient against central differences.
/// - Descent stops in the pit it starts above: where you start decides
///   which local minimum you reach. Random restarts help.
/// - Ascent is descent of -f: flip the sign of the step, or of the function.
/// - Saturated sigmoids make partial derivatives tiny (vanishing
///   gradients); large ones make steps explode. Fewer layers, ReLU,
///   normalisation, pre-training, regularization, residual connections
///   and clipping keep them in range.
///
/// Next, lecture 7: backpropagation, the efficient way to compute the
/// gradient of a network's cost with respect to every weight.

static void
closing(lesson *L)
{
  LESSON_PROSE(L);
  lesson_questions(L,
                   "What is the gradient of f(x, y) at a point, and which way does "
                   "it point?",
                   "Two descents on peaks from different starts end in different "
                   "pits: what would you do to find the lowest one?",
                   "Why do large weights in a sigmoid network make its partial "
                   "derivatives tiny, and what can be done about it?");
}
