/* SPDX-License-Identifier: GPL-3.0-or-later */
/// # Lecture 1: Vectors, matrices and derivatives
///
/// A neural network is a function: numbers in, numbers out. Training it
/// means nudging its parameters so that a loss goes down, and the only way
/// to know which way to nudge is to ask how the loss *changes*: a derivative.
/// This lecture reviews the two pieces of mathematics everything else is
/// built from:
///
/// - vectors and matrices: the dot product and the matrix-vector product,
///   the two products every neuron is made of;
/// - derivatives: of a polynomial by the power rule, partial derivatives of
///   a function of many variables, and numerical derivatives, which the
///   computer takes with a small step h, and how their error depends on h.
///
/// The small vectors and the matrix below are drawn at random from the seed
/// (`--seed`): rerun with another seed for another example.

/* lecture1-derivatives.c: lecture 1 as a literate program. The `///` lines
 * are the lesson's prose (see lesson.h); this file reads top to bottom like
 * the lecture: main() is its outline, the sections follow in order. */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_fit.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_rng.h>
#include <nn/nn.h>

#include "lesson.h"
#include "lectures/lecture1-derivatives.prose.h"

/* ===== Knobs ===== */

enum { FN_SIN, FN_EXP };               /* --function, in the order of its choices */
static double at = 1.0;                /* --at: the point a of the derivatives */
static int function = FN_SIN;          /* --function: the function of section 7 */
static double step = 1e-5;             /* --step: h of the single estimates */
static double hmin = 1e-16;            /* --hmin, --hmax: the range of h */
static double hmax = 1.0;              /*   in section 8 */
static int per_decade = 4;             /* --per-decade: steps h per factor of ten */
static int rows = 3, cols = 4;         /* --rows, --cols: W is rows x cols */

static const lesson_option options[] = {
  {"at", LESSON_DOUBLE, &at, "the point a where derivatives are studied",
   .min = -10, .max = 10},
  {"function", LESSON_CHOICE, &function,
   "the function whose numerical derivative is studied", .choices = "sin|exp"},
  {"step", LESSON_DOUBLE, &step, "the step h of the single numerical derivatives",
   .min = 1e-16, .max = 1},
  {"hmin", LESSON_DOUBLE, &hmin, "the smallest step h of the error study",
   .min = 1e-20, .max = 1},
  {"hmax", LESSON_DOUBLE, &hmax, "the largest step h of the error study",
   .min = 1e-15, .max = 10},
  {"per-decade", LESSON_INT, &per_decade,
   "steps h per factor of ten in the error study", .min = 1, .max = 20},
  {"rows", LESSON_INT, &rows, "rows of the matrix W (outputs of W x)",
   .min = 1, .max = 9},
  {"cols", LESSON_INT, &cols, "columns of W, and length of x and w",
   .min = 1, .max = 9},
  {0}
};

/* The example every section shares, drawn once from the lesson's generator. */
typedef struct example {
  gsl_vector *x;  /* the input, n = cols entries */
  gsl_vector *w;  /* the weights of one neuron, n entries */
  double b;       /* its bias */
  gsl_matrix *W;  /* a layer's weights, (rows, cols): one row per output */
} example;

static void vectors_and_notation(lesson *L, example *e);
static void dot_product(lesson *L, const example *e);
static void matrix_vector_product(lesson *L, const example *e);
static double derivative_as_change(lesson *L, double *last_h);
static void power_rule(lesson *L, double last_secant, double last_h);
static void partial_derivatives(lesson *L, const example *e);
static void numerical_derivatives(lesson *L);
static void error_versus_step(lesson *L);
static void check_yourself(lesson *L);

int
main(int argc, char **argv)
{
  lesson *L = lesson_begin(argc, argv, &(lesson_info){
      .number = 1, .title = "Vectors, matrices and derivatives",
      .options = options, .prose = &lecture_prose});
  if (!(hmin * 10 <= hmax))
    lesson_usage_error(L, "--hmin %g and --hmax %g: the error study needs "
                       "hmax >= 10 hmin (at least one factor of ten)", hmin, hmax);
  LESSON_PROSE(L);

  example e = {gsl_vector_alloc((size_t) cols), gsl_vector_alloc((size_t) cols),
               0.0, gsl_matrix_alloc((size_t) rows, (size_t) cols)};
  vectors_and_notation(L, &e);
  dot_product(L, &e);
  matrix_vector_product(L, &e);
  double h;  /* section 5 looks back at the last slope of section 4, at step h */
  double secant = derivative_as_change(L, &h);
  power_rule(L, secant, h);
  partial_derivatives(L, &e);
  numerical_derivatives(L);
  error_versus_step(L);
  check_yourself(L);

  gsl_vector_free(e.x);
  gsl_vector_free(e.w);
  gsl_matrix_free(e.W);
  return lesson_finish(L);
}

/* ===== Helpers: subscripts, example numbers, polynomials as text ===== */

/* Unicode subscripts for the figures: x₁, W₂₃. Indices run 1..9. */
static const char *
sub(size_t k)
{
  static const char *const digits[] = {"₀", "₁", "₂", "₃", "₄",
                                       "₅", "₆", "₇", "₈", "₉"};
  return digits[k % 10];
}

/* A number drawn from the seed: a multiple of 0.1 in [-2, 2], never 0, so
 * that products are easy to check by hand. */
static double
draw_tenths(gsl_rng *rng)
{
  long k = (long) gsl_rng_uniform_int(rng, 40) - 20;  /* -20 .. 19 */
  return (double) (k >= 0 ? k + 1 : k) / 10.0;         /* -2.0 .. 2.0, no 0 */
}

/* The polynomial with coefficients c (lowest power first) as text, highest
 * power first: (4, -3, 3) gives "3x² - 3x + 4". */
static void
poly_text(lesson *L, const gsl_vector *c, char *buf, size_t size)
{
  static const char *const power[] = {"", "x", "x²", "x³", "x⁴",
                                      "x⁵", "x⁶", "x⁷", "x⁸", "x⁹"};
  size_t used = 0;
  buf[0] = '\0';
  for (size_t k = c->size; k-- > 0;) {
    double ck = gsl_vector_get(c, k);
    if (ck == 0.0 || k >= 10)
      continue;
    const char *sign = ck < 0 ? (used ? " - " : "-") : (used ? " + " : "");
    double mag = fabs(ck);
    const char *num = (mag == 1.0 && k > 0) ? "" : lesson_num(L, mag);
    used += (size_t) snprintf(buf + used, size > used ? size - used : 0, "%s%s%s",
                              sign, num, power[k]);
  }
  if (used == 0)
    snprintf(buf, size, "0");
}

/// ## 1. Vectors, and functions of vectors
///
/// A vector x = (x_1, x_2, ..., x_n) is a list of n numbers: the pixels of
/// an image, the measurements of a patient, the features of one sample.
/// A neural network is a function of such a vector. We write it
///
///     f(x; θ)
///
/// where x is the **input** and θ ("theta") are the **parameters**: the
/// numbers training adjusts. The semicolon separates what changes from one
/// sample to the next (x) from what changes while the network learns (θ).
/// For now f returns one number, a scalar.
///
/// Our first example is the weighted sum of a single neuron, whose
/// parameters are a weight vector w (one weight per input) and a bias b:
///
///     f(x; w, b) = w_1 x_1 + w_2 x_2 + ... + w_n x_n + b
///
/// This run draws an input, a weight vector and a bias:

static void
vectors_and_notation(lesson *L, example *e)
{
  LESSON_PROSE(L);
  for (size_t i = 0; i < e->x->size; i++) {
    gsl_vector_set(e->x, i, draw_tenths(L->rng));
    gsl_vector_set(e->w, i, draw_tenths(L->rng));
  }
  e->b = draw_tenths(L->rng);
  for (size_t i = 0; i < e->W->size1; i++)
    for (size_t j = 0; j < e->W->size2; j++)
      gsl_matrix_set(e->W, i, j, draw_tenths(L->rng));

  lesson_printf(L, "n = %zu inputs\n", e->x->size);
  lesson_vector(L, "x", e->x);
  lesson_vector(L, "w", e->w);
  lesson_printf(L, "b = %s\n", lesson_num(L, e->b));
}

/// ## 2. The dot product: multiply, then sum
///
/// The sum w_1 x_1 + ... + w_n x_n has a name, the **dot product** of w
/// and x:
///
///     w · x = Σ_i w_i x_i
///
/// Two vectors of the same length go in, one number comes out: multiply
/// the entries pair by pair, then add the products up. Here it is by hand,
/// one product at a time:

static void
dot_product(lesson *L, const example *e)
{
  LESSON_PROSE(L);
  lesson_printf(L, "  i      w_i      x_i   w_i x_i   running sum\n");
  double sum = 0.0;
  for (size_t i = 0; i < e->x->size; i++) {
    double wi = gsl_vector_get(e->w, i), xi = gsl_vector_get(e->x, i);
    sum += wi * xi;  /* multiply, then sum */
    lesson_printf(L, "  %zu %8s %8s %9s %13s\n", i + 1, lesson_num(L, wi),
                  lesson_num(L, xi), lesson_num(L, wi * xi), lesson_num(L, sum));
  }
  double lib = NAN;
  nn_linalg_dot(e->w, e->x, &lib);
  lesson_printf(L, "\nw · x by hand:           %s\n", lesson_num(L, sum));
  lesson_printf(L, "w · x by nn_linalg_dot:  %s  (%s)\n", lesson_num(L, lib),
                lib == sum ? "the same number, bit for bit"
                           : "differs in the last bits: another order of the sum");
  lesson_printf(L, "f(x; w, b) = w · x + b = %s %s %s = %s\n", lesson_num(L, lib),
                e->b < 0 ? "-" : "+", lesson_num(L, fabs(e->b)),
                lesson_num(L, lib + e->b));

  /// The dot product also measures how much two vectors point the same way:
  /// w · x = |w| |x| cos(angle between them), where |v| = √(v · v) is the
  /// length of v. Positive: the angle is under 90°; zero: they are
  /// perpendicular; negative: they point apart. Among inputs of a given
  /// length, w · x is largest for the one that points the way w does: a
  /// neuron responds most to inputs that look like its weights.
  LESSON_PROSE(L);
  double nw = 0.0;  /* |w| = √(w · w) */
  nn_linalg_dot(e->w, e->w, &nw);
  nw = sqrt(nw);
  double nx = 0.0;
  nn_linalg_dot(e->x, e->x, &nx);
  nx = sqrt(nx);
  double cosine = lib / (nw * nx);
  lesson_printf(L, "|w| = %s, |x| = %s\n", lesson_num(L, nw), lesson_num(L, nx));
  double degrees = acos(GSL_MAX(-1.0, GSL_MIN(1.0, cosine))) * 180 / M_PI;
  lesson_printf(L, "cos(angle) = (w · x) / (|w| |x|) = %s, so the angle is %.4g°\n",
                lesson_num(L, cosine), degrees);

  /// The same computation drawn as a graph, written to weighted-sum.svg
  /// (weighted-sum.dot) in the output folder: each input enters along an
  /// edge that multiplies it by its weight, and the node Σ adds everything
  /// up, the bias entering as the weight of a constant input 1. This
  /// picture is a neuron; lecture 2 adds what it does with the sum. In
  /// text, one edge per line:
  LESSON_PROSE(L);
  for (size_t i = 0; i <= e->x->size; i++) {
    int bias = i == e->x->size;
    char from[48], edge[48];
    if (bias) {
      snprintf(from, sizeof from, "1");
      snprintf(edge, sizeof edge, "--[ b = %s ]-->", lesson_num(L, e->b));
    } else {
      snprintf(from, sizeof from, "x%s = %s", sub(i + 1),
               lesson_num(L, gsl_vector_get(e->x, i)));
      snprintf(edge, sizeof edge, "--[ w%s = %s ]-->", sub(i + 1),
               lesson_num(L, gsl_vector_get(e->w, i)));
    }
    lesson_printf(L, "  %s %s Σ\n", lesson_pad(L, from, 12), lesson_pad(L, edge, 20));
  }
  lesson_printf(L, "  Σ = w · x + b = %s\n", lesson_num(L, lib + e->b));
  nn_graph *g = lesson_graph(L, "weighted-sum");
  char label[192], value[64];
  snprintf(label, sizeof label, "f(x; w, b) = w · x + b = %s\n"
           "(blue: positive weight, vermilion: negative; width grows with |weight|)",
           lesson_num(L, lib + e->b));
  nn_graph_attr(g, "label", label);
  nn_graph_attr(g, "ranksep", "2.2");
  double wmax = fabs(e->b);
  for (size_t i = 0; i < e->w->size; i++)
    wmax = GSL_MAX(wmax, fabs(gsl_vector_get(e->w, i)));
  nn_graph_style in = {.shape = "circle", .fillcolor = "#f2f2f2",
                       .rank = 0, .has_rank = 1};
  nn_graph_style sum_node = {.shape = "doublecircle", .fillcolor = "#fff2cc",
                             .rank = 1, .has_rank = 1};
  snprintf(label, sizeof label, "Σ\n%s", lesson_num(L, lib + e->b));
  nn_graph_node(g, "sum", label, &sum_node);
  for (size_t i = 0; i <= e->x->size; i++) {
    int bias = i == e->x->size;  /* the bias is a weight on a constant input 1 */
    double wi = bias ? e->b : gsl_vector_get(e->w, i);
    char id[32];
    snprintf(id, sizeof id, bias ? "one" : "x%zu", i + 1);
    if (bias)
      snprintf(label, sizeof label, "1");
    else
      snprintf(label, sizeof label, "x%s\n%s", sub(i + 1),
               lesson_num(L, gsl_vector_get(e->x, i)));
    nn_graph_node(g, id, label, &in);
    nn_graph_style edge = {.color = wi >= 0 ? "#0072b2" : "#d55e00",
                           .fontcolor = wi >= 0 ? "#0072b2" : "#d55e00",
                           .penwidth = 1.0 + 4.0 * fabs(wi) / wmax};
    if (bias)
      snprintf(value, sizeof value, "b = %s", lesson_num(L, wi));
    else
      snprintf(value, sizeof value, "w%s = %s", sub(i + 1), lesson_num(L, wi));
    nn_graph_edge(g, id, "sum", value, &edge);
  }
  lesson_show_graph(L, g);
  nn_graph_free(g);
  if (lesson_challenge(L, "w = (1, 2) and x = (3, -1). Compute w · x by hand, and "
                       "say whether the angle between them is under or over 90°."))
    lesson_printf(L, "w · x = 1·3 + 2·(-1) = 1: positive, so the angle is under 90° "
                  "(cos = 1 / (√5 √10) ≈ %.3f, about %.0f°).\n", 1 / sqrt(50.0),
                  acos(1 / sqrt(50.0)) * 180 / M_PI);
}

/// ## 3. The matrix-vector product: stacked dot products
///
/// A layer of a network is many neurons reading the same input. Stack their
/// weight vectors as the rows of a matrix W, with m rows (one per neuron,
/// one per output) and n columns (one per input). The layer computes m dot
/// products at once, and that is the matrix-vector product:
///
///     y = W x,   y_i = Σ_j W_ij x_j = (row i of W) · x
///
/// W is m x n, x has n entries, y has m: the inner sizes must agree.

static void
matrix_vector_product(lesson *L, const example *e)
{
  LESSON_PROSE(L);
  const gsl_matrix *W = e->W;
  const gsl_vector *x = e->x;
  lesson_printf(L, "W is %zu x %zu, x has %zu entries, so y = W x has %zu.\n\n",
                W->size1, W->size2, x->size, W->size1);
  lesson_matrix(L, "W", W);
  lesson_vector(L, "x", x);

  /// **The row view.** Each output is the dot product of one row of W with x:
  LESSON_PROSE(L);
  gsl_vector *by_rows = gsl_vector_alloc(W->size1);
  for (size_t i = 0; i < W->size1; i++) {
    double yi = 0.0;
    lesson_printf(L, "y_%zu = ", i + 1);
    for (size_t j = 0; j < W->size2; j++) {
      yi += gsl_matrix_get(W, i, j) * gsl_vector_get(x, j);
      lesson_printf(L, "%s(%s)(%s)", j ? " + " : "",
                    lesson_num(L, gsl_matrix_get(W, i, j)),
                    lesson_num(L, gsl_vector_get(x, j)));
    }
    lesson_printf(L, " = %s\n", lesson_num(L, yi));
    gsl_vector_set(by_rows, i, yi);
  }

  /// **The column view.** The same sums, grouped the other way: y is a
  /// weighted sum of the columns of W, column j weighted by x_j,
  ///
  ///     y = x_1 (column 1 of W) + x_2 (column 2 of W) + ... + x_n (column n of W)
  ///
  /// Each input contributes its own column to every output.
  LESSON_PROSE(L);
  gsl_vector *by_cols = gsl_vector_calloc(W->size1);
  lesson_printf(L, "y =");
  for (size_t j = 0; j < W->size2; j++) {
    gsl_vector_const_view col = gsl_matrix_const_column(W, j);
    double xj = gsl_vector_get(x, j);
    if (xj < 0)  /* a negative weight in parentheses: "+ (-2)·(...)" */
      lesson_printf(L, "%s (%s)·(", j ? " +" : "", lesson_num(L, xj));
    else
      lesson_printf(L, "%s %s·(", j ? " +" : "", lesson_num(L, xj));
    for (size_t i = 0; i < W->size1; i++)
      lesson_printf(L, "%s%s", i ? ", " : "",
                    lesson_num(L, gsl_vector_get(&col.vector, i)));
    lesson_printf(L, ")");
    gsl_blas_daxpy(xj, &col.vector, by_cols);  /* y += x_j · (column j) */
  }
  lesson_printf(L, "\n");
  lesson_vector(L, " ", by_cols);

  /// The library does it both ways: nn_linalg_matvec_rows() by stacked dot
  /// products, exactly as above, and nn_linalg_matvec() by BLAS, the
  /// optimised linear-algebra routines (gsl_blas_dgemv) every serious
  /// program calls. BLAS may add in another order or fuse a multiply with
  /// an add, so the last bit can differ: floating-point addition is not
  /// associative. The numbers agree to rounding:
  LESSON_PROSE(L);
  gsl_vector *rows_lib = gsl_vector_alloc(W->size1);
  gsl_vector *blas = gsl_vector_alloc(W->size1);
  nn_linalg_matvec_rows(W, x, rows_lib);
  nn_linalg_matvec(W, x, blas);
  lesson_vector(L, "nn_linalg_matvec_rows(W, x)", rows_lib);
  lesson_vector(L, "nn_linalg_matvec(W, x)     ", blas);
  double gap = 0.0, gap_cols = 0.0;
  for (size_t i = 0; i < W->size1; i++) {
    double r = gsl_vector_get(rows_lib, i), b = gsl_vector_get(blas, i);
    double v_row = gsl_vector_get(by_rows, i), v_col = gsl_vector_get(by_cols, i);
    gap = GSL_MAX(gap, fabs(r - b));
    gap_cols = GSL_MAX(gap_cols, fabs(v_row - v_col));
  }
  lesson_printf(L, "largest |difference|, rows vs BLAS:        %.3g\n", gap);
  lesson_printf(L, "largest |difference|, row vs column view:  %.3g\n", gap_cols);

  /// Drawn as a graph (matrix-vector-product.svg), W x is a layer: every
  /// input x_j is joined to every output y_i by an edge carrying the weight
  /// W_ij. Row i of W is the set of edges arriving at y_i (the row view
  /// above); column j is the set leaving x_j (the column view).
  LESSON_PROSE(L);
  nn_graph *g = lesson_graph(L, "matrix-vector-product");
  char label[160], id[32], to[32];
  snprintf(label, sizeof label,
           "y = W x, W is %zu x %zu: the edge x%s → y%s carries W%s%s\n"
           "(blue: positive, vermilion: negative; width grows with |weight|)",
           W->size1, W->size2, sub(2), sub(1), sub(1), sub(2));
  nn_graph_attr(g, "label", label);
  nn_graph_attr(g, "ranksep", "3.5");
  nn_graph_attr(g, "nodesep", "0.6");
  /* The edges reach each y_i from x₁, x₂, ... in this order; keeping that
   * order keeps both columns in order, top to bottom. */
  nn_graph_attr(g, "ordering", "in");
  double wmax = GSL_MAX(gsl_matrix_max(W), -gsl_matrix_min(W));  /* largest |W_ij| */
  nn_graph_style in = {.shape = "circle", .fillcolor = "#f2f2f2",
                       .rank = 0, .has_rank = 1};
  nn_graph_style out = {.shape = "circle", .fillcolor = "#fff2cc",
                        .rank = 1, .has_rank = 1};
  for (size_t j = 0; j < W->size2; j++) {
    snprintf(id, sizeof id, "x%zu", j + 1);
    snprintf(label, sizeof label, "x%s\n%s", sub(j + 1),
             lesson_num(L, gsl_vector_get(x, j)));
    nn_graph_node(g, id, label, &in);
  }
  for (size_t i = 0; i < W->size1; i++) {
    snprintf(id, sizeof id, "y%zu", i + 1);
    snprintf(label, sizeof label, "y%s\n%s", sub(i + 1),
             lesson_num(L, gsl_vector_get(blas, i)));
    nn_graph_node(g, id, label, &out);
  }
  for (size_t j = 0; j < W->size2; j++)  /* the edges leaving x_j: column j */
    for (size_t i = 0; i < W->size1; i++) {
      double wij = gsl_matrix_get(W, i, j);
      nn_graph_style edge = {.color = wij >= 0 ? "#0072b2" : "#d55e00",
                             .fontcolor = wij >= 0 ? "#0072b2" : "#d55e00",
                             .penwidth = 0.8 + 4.0 * fabs(wij) / wmax};
      snprintf(id, sizeof id, "x%zu", j + 1);
      snprintf(to, sizeof to, "y%zu", i + 1);
      snprintf(label, sizeof label, "W%s%s = %s", sub(i + 1), sub(j + 1),
               lesson_num(L, wij));
      nn_graph_edge(g, id, to, label, &edge);
    }
  lesson_show_graph(L, g);
  nn_graph_free(g);
  lesson_try(L, "predict the sizes of y, then run `make lecture1 ARGS='--rows 2 "
             "--cols 5'`; or draw other numbers, `make lecture1 ARGS='--seed 7'`.");
  gsl_vector_free(by_rows);
  gsl_vector_free(by_cols);
  gsl_vector_free(rows_lib);
  gsl_vector_free(blas);
}

/// ## 4. The derivative: how things change
///
/// Take a function of one number,
///
///     f(x) = 3x² - 3x + 4
///
/// and ask: when x moves from a to a + h, how much does f move, per unit
/// of x? That is the slope of the line through (a, f(a)) and
/// (a + h, f(a + h)):
///
///     (f(a + h) - f(a)) / h
///
/// Make h smaller and smaller. The slope settles on a number: the
/// **derivative** f'(a), the rate at which f changes at a. At the point
/// a of this run (`--at`):

/* f(x) = 3x² - 3x + 4: its coefficients, lowest power first, and f itself. */
static const double quad_coef[] = {4.0, -3.0, 3.0};

static double
quad(double x)
{
  return 3.0 * x * x - 3.0 * x + 4.0;
}

/* Returns the last slope of the table, and its step in *last_h. */
static double
derivative_as_change(lesson *L, double *last_h)
{
  LESSON_PROSE(L);
  static const double steps[] = {1, 0.1, 0.01, 0.001};
  const double a = at;
  lesson_printf(L, "a = %s, f(a) = %s\n\n", lesson_num(L, a), lesson_num(L, quad(a)));
  lesson_printf(L, "  h       f(a + h) - f(a)      (f(a + h) - f(a)) / h\n");
  double slope = NAN;
  for (size_t k = 0; k < sizeof steps / sizeof steps[0]; k++) {
    double h = steps[k], df = quad(a + h) - quad(a);
    slope = df / h;
    lesson_printf(L, "  %-7g %-20s %s\n", h, lesson_num(L, df), lesson_num(L, slope));
    *last_h = h;
  }
  return slope;
}

/// ## 5. The derivative of a polynomial: the power rule
///
/// For a power of x the limit can be taken once and for all:
///
///     d/dx x^k = k x^(k-1)
///
/// and the derivative of a sum is the sum of the derivatives, so a
/// polynomial is differentiated term by term. nn_poly_derivative() does
/// this on the vector of coefficients, lowest power first: coefficient k
/// moves down to power k - 1, multiplied by k.

static void
power_rule(lesson *L, double last_secant, double last_h)
{
  LESSON_PROSE(L);
  gsl_vector_const_view cv = gsl_vector_const_view_array(quad_coef, 3);
  const gsl_vector *c = &cv.vector;
  gsl_vector *dc = gsl_vector_alloc(c->size), *ddc = gsl_vector_alloc(c->size);
  nn_poly_derivative(c, dc);
  nn_poly_derivative(dc, ddc);
  char f_text[96], df_text[96], ddf_text[96];
  poly_text(L, c, f_text, sizeof f_text);
  poly_text(L, dc, df_text, sizeof df_text);
  poly_text(L, ddc, ddf_text, sizeof ddf_text);
  lesson_vector(L, "coefficients of f ", c);
  lesson_vector(L, "coefficients of f'", dc);
  lesson_printf(L, "f(x)   = %s\n", f_text);
  lesson_printf(L, "f'(x)  = %s\n", df_text);
  lesson_printf(L, "f''(x) = %s\n", ddf_text);

  const double a = at;
  double fa, dfa, ddfa;
  nn_poly_eval(c, a, &fa);
  nn_poly_eval(dc, a, &dfa);
  nn_poly_eval(ddc, a, &ddfa);
  lesson_printf(L, "\nAt a = %s: f'(a) = %s, the number the slopes of section 4 "
                "settled on.\n", lesson_num(L, a), lesson_num(L, dfa));
  lesson_printf(L, "Their gap at h = %g was %s: (f''(a)/2) h = %s, up to rounding,\n"
                "because f(a + h) = f(a) + f'(a) h + (f''(a)/2) h² for a quadratic.\n",
                last_h, lesson_num(L, last_secant - dfa),
                lesson_num(L, ddfa / 2 * last_h));

  /// Where the derivative is zero, f is flat: the bottom of a valley or the
  /// top of a hill. Training a network is a search for such points of the
  /// loss. For our f, solve f'(x) = 6x - 3 = 0:
  LESSON_PROSE(L);
  /* f' is the line dc_0 + dc_1 x: its zero is -dc_0 / dc_1. */
  double xstar = -gsl_vector_get(dc, 0) / gsl_vector_get(dc, 1);
  double fstar, dfstar, ddfstar;
  nn_poly_eval(c, xstar, &fstar);
  nn_poly_eval(dc, xstar, &dfstar);
  nn_poly_eval(ddc, xstar, &ddfstar);
  lesson_printf(L, "x* = %s\n", lesson_num(L, xstar));
  lesson_printf(L, "f'(%s) = %s\n", lesson_num(L, xstar), lesson_num(L, dfstar));
  lesson_printf(L, "f(%s) = %s, and f''(%s) = %s %s\n", lesson_num(L, xstar),
                lesson_num(L, fstar), lesson_num(L, xstar), lesson_num(L, ddfstar),
                ddfstar > 0 ? "> 0: f curves up, the bottom of a valley, the minimum."
                            : "<= 0: not a minimum.");

  /// The sign of f' says which way f goes: where f' < 0, f falls as x
  /// grows; where f' > 0, it rises. To go downhill, step against the sign
  /// of the derivative: that is gradient descent, lecture 5.
  LESSON_PROSE(L);
  lesson_printf(L, "  x       f(x)     f'(x)    f is\n");
  for (int k = -2; k <= 4; k++) {
    double x = 0.5 * k, fx, dfx;
    nn_poly_eval(c, x, &fx);
    nn_poly_eval(dc, x, &dfx);
    const char *trend = dfx < 0 ? "falling" : dfx > 0 ? "rising" : "flat";
    lesson_printf(L, "  %-6s  %-7s  %-7s  %s\n", lesson_num(L, x), lesson_num(L, fx),
                  lesson_num(L, dfx), trend);
  }

  /// In the figure: f, its derivative f', and the tangent line at a, the
  /// straight line with slope f'(a) that touches f at a. At the minimum
  /// the tangent is flat and f' crosses zero.
  LESSON_PROSE(L);
  double lo = GSL_MIN(-1.0, a - 0.75), hi = GSL_MAX(2.0, a + 0.75);
  enum { N = 301 };
  double xs[N], fs[N], dfs[N], tx[2], ty[2];
  for (int k = 0; k < N; k++) {
    xs[k] = lo + (hi - lo) * k / (N - 1);
    nn_poly_eval(c, xs[k], &fs[k]);
    nn_poly_eval(dc, xs[k], &dfs[k]);
  }
  tx[0] = a - 0.75;
  tx[1] = a + 0.75;
  for (int k = 0; k < 2; k++)
    ty[k] = fa + dfa * (tx[k] - a);  /* the tangent: f(a) + f'(a)(x - a) */

  nn_plot *p = lesson_plot(L, "quadratic-and-derivative");
  char title[256], legend[160];
  snprintf(title, sizeof title, "f(x) = %s and its derivative f′(x) = %s",
           f_text, df_text);
  nn_plot_title(p, title);
  nn_plot_labels(p, "x", "y");
  nn_plot_set(p, "xzeroaxis lt 1 lw 1 lc rgb '#808080'");
  nn_plot_set(p, "xrange [%.17g:%.17g]", lo, hi);
  snprintf(legend, sizeof legend, "f(x) = %s", f_text);
  nn_plot_series(p, legend, xs, fs, N, "lines lw 3");
  snprintf(legend, sizeof legend, "f′(x) = %s", df_text);
  nn_plot_series(p, legend, xs, dfs, N, "lines lw 3");
  snprintf(legend, sizeof legend, "tangent at a = %s, slope f′(a) = %s", lesson_num(L, a),
           lesson_num(L, dfa));
  nn_plot_series(p, legend, tx, ty, 2, "lines lw 2 dt 2 lc rgb '#009e73'");
  nn_plot_series(p, NULL, &a, &fa, 1, "points pt 7 ps 1.5 lc rgb '#009e73'");
  double mx[2] = {xstar, xstar}, my[2] = {fstar, dfstar};
  snprintf(legend, sizeof legend, "minimum: f′(%s) = %s", lesson_num(L, xstar),
           lesson_num(L, dfstar));
  nn_plot_series(p, legend, mx, my, 2, "linespoints lw 1.5 dt 3 pt 7 ps 2");
  lesson_show_plot(L, p);
  nn_plot_free(p);
  lesson_try(L, "predict the slope of the tangent at a = 0.5, then run "
             "`make lecture1 ARGS='--at 0.5'`.");
  gsl_vector_free(dc);
  gsl_vector_free(ddc);
}

/// ## 6. Partial derivatives
///
/// A network's loss depends on many numbers at once. A **partial
/// derivative** asks how it changes when one of them moves and all the
/// others stay put. Take the square of the neuron's weighted sum,
///
///     g(x; w, b) = (w · x + b)²,   and write z = w · x + b.
///
/// Moving one input x_i by h moves z by w_i h, and g = z² changes at the
/// rate 2z per unit of z (the power rule, and the chain rule: rates
/// multiply), so
///
///     ∂g/∂x_i = 2 z w_i
///
/// The parameters are no different: hold x fixed and move one weight,
///
///     ∂g/∂w_i = 2 z x_i,     ∂g/∂b = 2 z
///
/// Training needs exactly these: the partial derivatives of the loss with
/// respect to every parameter. Numerically, nn_deriv_partial() moves one
/// component of a vector by ±h (a central difference, section 7) and puts
/// it back. To differentiate with respect to the parameters, hand it the
/// vector θ = (w_1, ..., w_n, b) as the variable and x as the fixed data.

/* g(x; w, b) = (w · x + b)² with θ = (w_1, ..., w_n, b): the one formula
 * behind both views below. */
static double
squared_sum(const gsl_vector *x, const gsl_vector *theta)
{
  gsl_vector_const_view w = gsl_vector_const_subvector(theta, 0, x->size);
  double z;
  nn_linalg_dot(&w.vector, x, &z);
  z += gsl_vector_get(theta, x->size);
  return z * z;
}

/* g as a function of the input x; params is θ. */
static double
g_of_input(const gsl_vector *x, void *params)
{
  return squared_sum(x, params);
}

/* g as a function of the parameters θ; params is x, the fixed data. */
static double
g_of_parameters(const gsl_vector *theta, void *params)
{
  return squared_sum(params, theta);
}

static void
partial_derivatives(lesson *L, const example *e)
{
  LESSON_PROSE(L);
  const size_t n = e->x->size;
  gsl_vector *x = gsl_vector_alloc(n), *theta = gsl_vector_alloc(n + 1);
  gsl_vector_memcpy(x, e->x);
  for (size_t i = 0; i < n; i++)
    gsl_vector_set(theta, i, gsl_vector_get(e->w, i));
  gsl_vector_set(theta, n, e->b);
  double z;
  nn_linalg_dot(e->w, e->x, &z);
  z += e->b;
  lesson_printf(L, "z = w · x + b = %s, g = z² = %s, h = %g\n\n", lesson_num(L, z),
                lesson_num(L, squared_sum(x, theta)), step);
  lesson_printf(L, "  variable   analytic             nn_deriv_partial"
                   "     |difference|\n");
  for (size_t i = 0; i < 2 * n + 1; i++) {
    int is_input = i < n;
    size_t k = is_input ? i : i - n;  /* index into x, or into θ */
    double exact = is_input ? 2 * z * gsl_vector_get(e->w, k)
                   : k < n ? 2 * z * gsl_vector_get(e->x, k) : 2 * z;
    double numeric = NAN;
    if (is_input)
      nn_deriv_partial(g_of_input, theta, x, k, step, &numeric);
    else
      nn_deriv_partial(g_of_parameters, x, theta, k, step, &numeric);
    char name[32];
    if (is_input || k < n)
      snprintf(name, sizeof name, "∂g/∂%s_%zu", is_input ? "x" : "w", k + 1);
    else
      snprintf(name, sizeof name, "∂g/∂b");
    lesson_printf(L, "  %s %-20s %-20s %.2e\n", lesson_pad(L, name, 10),
                  lesson_num(L, exact), lesson_num(L, numeric), fabs(numeric - exact));
  }
  /// The two columns agree to many digits. The small gap is rounding, not
  /// an error of the method: g is a quadratic in each single variable, and
  /// section 7 shows that the central difference of a quadratic is exact.
  LESSON_PROSE(L);
  gsl_vector_free(x);
  gsl_vector_free(theta);
}

/// ## 7. Numerical derivatives
///
/// A computer cannot take a limit, but it can take a small step h. Three
/// recipes:
///
///     forward:  f'(a) ≈ (f(a + h) - f(a)) / h
///     central:  f'(a) ≈ (f(a + h) - f(a - h)) / (2h)
///     GSL:      gsl_deriv_central(), a refined central difference that
///               also estimates its own error
///
/// How good are they? Taylor's formula answers:
///
///     f(a ± h) = f(a) ± f'(a) h + f''(a) h²/2 ± f'''(a) h³/6 + ...
///
/// so the forward difference is off by about (h/2) f''(a): its error is
/// proportional to h, it is **first order**. In the central difference the
/// even terms cancel, leaving about (h²/6) f'''(a): **second order**.
/// Divide h by 10 and the forward error falls 10 times, the central one
/// 100 times. We study the function chosen by `--function` at the point a:

/* The function of sections 7 and 8 and its derivatives of order 0 to 3. */
static double
fn(double x, int order)
{
  if (function == FN_EXP)
    return exp(x);
  switch (order % 4) {  /* sin, cos, -sin, -cos, sin, ... */
  case 0: return sin(x);
  case 1: return cos(x);
  case 2: return -sin(x);
  default: return -cos(x);
  }
}

static double
fn_value(double x, void *params)
{
  (void) params;
  return fn(x, 0);
}

static const char *
fn_name(void)
{
  return function == FN_EXP ? "exp" : "sin";
}

static void
numerical_derivatives(lesson *L)
{
  LESSON_PROSE(L);
  const double a = at, h = step;
  gsl_function F = {fn_value, NULL};
  const double exact = fn(a, 1);
  double fwd, cen, gsl, gsl_err;
  nn_deriv_forward(&F, a, h, &fwd);
  nn_deriv_central(&F, a, h, &cen);
  nn_deriv_gsl_central(&F, a, h, &gsl, &gsl_err);
  lesson_printf(L, "f = %s, a = %s, h = %g\n", fn_name(), lesson_num(L, a), h);
  lesson_printf(L, "From calculus, exactly:\n");
  lesson_printf(L, "  f'(a)   = %s\n", lesson_num(L, exact));
  lesson_printf(L, "  f''(a)  = %s\n", lesson_num(L, fn(a, 2)));
  lesson_printf(L, "  f'''(a) = %s\n\n", lesson_num(L, fn(a, 3)));
  lesson_printf(L, "  method    estimate of f'(a)    |error|    estimate of the error\n");
  lesson_printf(L, "  forward   %-20s %-10.3g (h/2)|f''(a)|    = %.3g\n",
                lesson_num(L, fwd), fabs(fwd - exact), h / 2 * fabs(fn(a, 2)));
  lesson_printf(L, "  central   %-20s %-10.3g (h²/6)|f'''(a)|  = %.3g\n",
                lesson_num(L, cen), fabs(cen - exact), h * h / 6 * fabs(fn(a, 3)));
  lesson_printf(L, "  GSL       %-20s %-10.3g GSL's own estimate = %.3g\n",
                lesson_num(L, gsl), fabs(gsl - exact), gsl_err);

  /// A nice special case: for a quadratic, f''' = 0, so the central
  /// difference has no truncation error at all, whatever h. On
  /// f(x) = 3x² - 3x + 4 even a huge step gives f'(a) = 6a - 3; only
  /// rounding is left. (This is why the error study below needs a function
  /// like sin or exp, whose third derivative is not zero.) The forward
  /// difference is still off by exactly (h/2) f'' = 3h.
  LESSON_PROSE(L);
  gsl_vector_const_view cv = gsl_vector_const_view_array(quad_coef, 3);
  gsl_function Q = {nn_poly_function, (void *) &cv.vector};
  double q_exact = 6 * a - 3;
  lesson_printf(L, "  h      central               |error|    "
                   "forward               |error|\n");
  static const double qsteps[] = {0.5, 0.05, 0.005, 0.0005};
  for (size_t k = 0; k < sizeof qsteps / sizeof qsteps[0]; k++) {
    double hq = qsteps[k], qc, qf;
    nn_deriv_central(&Q, a, hq, &qc);
    nn_deriv_forward(&Q, a, hq, &qf);
    lesson_printf(L, "  %-6g %-21s %-10.3g %-21s %.3g\n", hq, lesson_num(L, qc),
                  fabs(qc - q_exact), lesson_num(L, qf), fabs(qf - q_exact));
  }
  double q_min;
  nn_deriv_central(&Q, 0.5, 0.1, &q_min);
  lesson_printf(L, "central difference at the minimum, h = 0.1: f'(0.5) ≈ %s\n",
                lesson_num(L, q_min));
  lesson_try(L, "predict the forward error at h = 1e-3, then run "
             "`make lecture1 ARGS='--step 1e-3'`; or another function and point, "
             "`make lecture1 ARGS='--function exp --at 2'`.");
}

/// ## 8. The error against the step h
///
/// So a smaller h is better? Only down to a point. The computer keeps about
/// 16 significant digits (the machine epsilon ε = 2.2e-16 is the gap
/// between 1 and the next number it can store). When h is tiny, f(a + h)
/// and f(a) agree in most of their digits, and their difference keeps only
/// the few that are left: **cancellation**. That rounding error is about
/// ε |f(a)|, and dividing by h blows it up. The total error is roughly
///
///     forward:  (h/2)  |f''(a)|  + ε |f(a)| / h
///     central:  (h²/6) |f'''(a)| + ε |f(a)| / h
///
/// the first term falling with h, the second growing. On a log-log plot a
/// power law h^p is a straight line of slope p, so we expect two straight
/// pieces: slope 1 (forward) or 2 (central) for large h, then slope -1
/// once rounding takes over. One row per factor of ten; the ratio columns
/// divide the error at 10h by the error at h (10 for first order, 100 for
/// second order):

/* Least-squares slope of log10(err) against log10(h) over the indices
 * [from, to] with a positive error; NaN with fewer than 3 points. */
static double
log_log_slope(const double *h, const double *err, size_t from, size_t to)
{
  double lx[512], ly[512];
  size_t n = 0;
  for (size_t k = from; k <= to && n < 512; k++)
    if (err[k] > 0) {
      lx[n] = log10(h[k]);
      ly[n] = log10(err[k]);
      n++;
    }
  if (n < 3)
    return NAN;
  double c0, c1, cov00, cov01, cov11, sumsq;
  gsl_fit_linear(lx, 1, ly, 1, n, &c0, &c1, &cov00, &cov01, &cov11, &sumsq);
  return c1;
}

/* The index of the smallest error: where rounding takes over. */
static size_t
best_step(const double *err, size_t n)
{
  size_t best = 0;
  for (size_t k = 1; k < n; k++)
    if (err[k] < err[best])
      best = k;
  return best;
}

static void
error_versus_step(lesson *L)
{
  LESSON_PROSE(L);
  const double a = at, exact = fn(a, 1);
  gsl_function F = {fn_value, NULL};
  /* h_k = hmax 10^(-k / per_decade), k = 0 .. K: evenly spaced on a log scale,
   * from large to small, so that every per_decade-th value is a power of ten
   * times hmax. */
  const size_t K = (size_t) floor(per_decade * log10(hmax / hmin) + 1e-9);
  const size_t n = K + 1;
  double *h = malloc(7 * n * sizeof *h);
  if (h == NULL)
    GSL_ERROR_VOID("error_versus_step: out of memory", GSL_ENOMEM);
  double *e_fwd = h + n, *e_cen = h + 2 * n, *e_gsl = h + 3 * n;
  double *r1 = h + 4 * n, *r2 = h + 5 * n, *r0 = h + 6 * n;  /* reference lines */
  const double f2 = fabs(fn(a, 2)), f3 = fabs(fn(a, 3)), f0 = fabs(fn(a, 0));
  for (size_t k = 0; k < n; k++) {
    h[k] = hmax * pow(10.0, -(double) k / per_decade);
    double d;
    nn_deriv_forward(&F, a, h[k], &d);
    e_fwd[k] = fabs(d - exact);
    nn_deriv_central(&F, a, h[k], &d);
    e_cen[k] = fabs(d - exact);
    nn_deriv_gsl_central(&F, a, h[k], &d, NULL);
    e_gsl[k] = fabs(d - exact);
    r1[k] = h[k] / 2 * f2;
    r2[k] = h[k] * h[k] / 6 * f3;
    r0[k] = GSL_DBL_EPSILON * f0 / h[k];
  }

  lesson_printf(L, "  h         forward    central    GSL        "
                   "fwd(10h)/fwd(h)  cen(10h)/cen(h)\n");
  for (size_t k = 0; k < n; k += (size_t) per_decade) {
    lesson_printf(L, "  %-9.3g %-10.3g %-10.3g %-10.3g", h[k], e_fwd[k], e_cen[k],
                  e_gsl[k]);
    if (k >= (size_t) per_decade) {
      size_t up = k - (size_t) per_decade;  /* the step 10 times larger */
      lesson_printf(L, " %-16.3g %.3g", e_fwd[up] / e_fwd[k], e_cen[up] / e_cen[k]);
    }
    lesson_printf(L, "\n");
  }

  /// The slope of each curve is measured by a least-squares line through
  /// its points between 100 times the best step and h = 0.1 (where Taylor's
  /// leading term rules), and the best step is where the error stops
  /// falling: rounding takes over there. The model above puts the best
  /// step where its two terms balance: h* = √(2ε|f(a)|/|f''(a)|) for the
  /// forward difference, h* = ∛(3ε|f(a)|/|f'''(a)|) for the central one.
  /// The central difference wins twice: a smaller error, at a larger step.
  LESSON_PROSE(L);
  static const char *const names[] = {"forward", "central"};
  const double *errs[] = {e_fwd, e_cen};
  const double theory[] = {sqrt(2 * GSL_DBL_EPSILON * f0 / f2),
                           cbrt(3 * GSL_DBL_EPSILON * f0 / f3)};
  const double curvature[] = {f2, f3};
  /* Taylor's order, one more where the leading term vanishes: with
   * f''(a) = 0 the forward difference is second order; with f'''(a) = 0
   * the central one is fourth order (its next term is h⁴ f⁽⁵⁾(a) / 120). */
  const int order[] = {f2 > 1e-12 ? 1 : 2, f3 > 1e-12 ? 2 : 4};
  for (int m = 0; m < 2; m++) {
    size_t best = best_step(errs[m], n);
    size_t from = 0, to = best;
    while (from < n && h[from] > 0.1 * (1 + 1e-9))
      from++;
    while (to > 0 && h[to] < 100 * h[best] * (1 - 1e-9))
      to--;
    double slope = from < to ? log_log_slope(h, errs[m], from, to) : NAN;
    lesson_printf(L, "%s difference:\n", names[m]);
    if (isnan(slope))
      lesson_printf(L, "  measured slope: too few points between h = 0.1 "
                    "and 100 h_best\n");
    else
      lesson_printf(L, "  measured slope %.3f for h from %.3g to %.3g (Taylor: %d)\n",
                    slope, h[to], h[from], order[m]);
    if (errs[m][best] == 0)
      lesson_printf(L, "  the error reaches 0 at h = %.3g: no rounding error there\n",
                    h[best]);
    else
      lesson_printf(L, "  the error stops falling at h = %.3g (error %.3g): "
                    "rounding takes over\n", h[best], errs[m][best]);
    if (curvature[m] <= 1e-12)
      lesson_printf(L, "  the model has no best step here: f%s(a) = 0\n",
                    m ? "'''" : "''");
    else if (f0 == 0)
      lesson_printf(L, "  the model has no best step here: f(a) = 0, "
                    "it predicts no rounding\n");
    else
      lesson_printf(L, "  the model's best step: h* = %.2g\n", theory[m]);
  }
  size_t gbest = best_step(e_gsl, n);
  lesson_printf(L, "GSL: smallest error %.3g, at h = %.3g\n", e_gsl[gbest], h[gbest]);

  /// The figure: the measured errors and the three lines of the model,
  /// on log-log axes. An error of exactly 0 cannot be drawn on a log scale
  /// and is left out.
  LESSON_PROSE(L);
  double ymin = INFINITY, ymax = 0;
  for (size_t k = 0; k < 3 * n; k++) {  /* the measured curves: e_fwd .. e_gsl */
    double v = e_fwd[k];
    if (v > 0) {
      ymin = GSL_MIN(ymin, v);
      ymax = GSL_MAX(ymax, v);
    }
    if (v == 0)
      e_fwd[k] = NAN;  /* a gap in the curve */
  }
  nn_plot *p = lesson_plot(L, "derivative-error-vs-h");
  char title[160];
  snprintf(title, sizeof title, "Error of the numerical derivative of %s at a = %s",
           fn_name(), lesson_num(L, a));
  nn_plot_title(p, title);
  nn_plot_labels(p, "step h", "|estimate − f′(a)|");
  nn_plot_set(p, "logscale xy");
  /* Powers of ten as 10^k on SVG and PNG; the text terminal cannot raise them. */
  nn_plot_set(p, "format x (GPVAL_TERM eq 'dumb' ? '%%.0e' : '10^{%%L}')");
  nn_plot_set(p, "format y (GPVAL_TERM eq 'dumb' ? '%%.0e' : '10^{%%L}')");
  nn_plot_set(p, "xrange [%.17g:%.17g]", h[n - 1], h[0]);
  if (ymin < ymax)
    nn_plot_set(p, "yrange [%.17g:%.17g]", pow(10, floor(log10(ymin)) - 1),
                pow(10, ceil(log10(ymax)) + 1));
  /* The model first, so that the measured curves are drawn over it. The
   * order of the series is the order of the blocks of the .dat file: index
   * 0..2 the model, 3 forward, 4 central, 5 GSL. Each line of the model has
   * the colour of the curve it predicts. */
  nn_plot_series(p, "model (h/2)|f″(a)|, slope 1", h, r1, n,
                 "lines lw 1.5 dt 2 lc rgb '#0072b2'");
  nn_plot_series(p, "model (h²/6)|f‴(a)|, slope 2", h, r2, n,
                 "lines lw 1.5 dt 2 lc rgb '#d55e00'");
  nn_plot_series(p, "model ε|f(a)|/h, slope −1", h, r0, n,
                 "lines lw 1.5 dt 3 lc rgb '#555555'");
  nn_plot_series(p, "forward", h, e_fwd, n,
                 "linespoints lw 2 pt 7 ps 0.7 lc rgb '#0072b2'");
  nn_plot_series(p, "central", h, e_cen, n,
                 "linespoints lw 2 pt 5 ps 0.7 lc rgb '#d55e00'");
  nn_plot_series(p, "GSL gsl_deriv_central", h, e_gsl, n,
                 "linespoints lw 2 pt 9 ps 0.8 lc rgb '#009e73'");
  lesson_show_plot(L, p);
  nn_plot_free(p);
  free(h);
  lesson_try(L, "predict where the curves turn up for exp at a = 2, then run "
             "`make lecture1 ARGS='--function exp --at 2'`; or finer steps, "
             "`make lecture1 ARGS='--per-decade 10'`.");
  if (lesson_challenge(L, "Below the best step, why does the error of the central "
                       "difference grow again as h shrinks?"))
    lesson_printf(L, "f(a + h) and f(a - h) agree in more and more leading digits, "
                  "so their difference keeps only the few digits that are left, "
                  "each wrong by about ε|f(a)|; dividing by 2h magnifies that "
                  "rounding error like 1/h: the slope -1 on the left of the "
                  "figure.\n");
}

/// ## What to remember
///
/// - f(x; θ): input x, parameters θ; a network is such a function.
/// - w · x multiplies and sums; W x stacks one dot product per row, and is
///   also a weighted sum of the columns of W.
/// - f'(a) is the rate of change of f at a; polynomials by the power rule;
///   a partial derivative moves one variable, input or parameter, at a time.
/// - Numerical derivatives: forward error ∝ h, central ∝ h², until rounding
///   (∝ ε/h) takes over; the central difference is exact on a quadratic.
///
/// Next, lecture 2: the perceptron, a weighted sum followed by a decision.

/* The prose above, then the questions and the exercise. */
static void
check_yourself(lesson *L)
{
  LESSON_PROSE(L);
  lesson_questions(L,
      "W is 3 x 4. How long must x be for W x, how long is the result, and "
      "which dot product gives its second entry?",
      "f(x) = 2x³ - x: what are f'(x) and f'(1)?",
      "Why is the central difference more accurate than the forward one for "
      "the same step h, and why does a tiny h make both worse?");
}
