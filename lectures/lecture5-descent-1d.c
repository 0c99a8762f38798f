/* SPDX-License-Identifier: GPL-3.0-or-later */
/// # Lecture 5: Gradient descent in 1D
///
/// Lecture 4 turned "how wrong is the model" into a number, the cost, and
/// showed it as a landscape over the parameters. Training is the walk down
/// that landscape. This lecture takes the walk in one dimension, where
/// everything can be seen:
///
/// - the loop: guess a value, measure the slope there, step against it,
///   scaled by a **learning rate**; repeat;
/// - a code challenge: a starting value from which the walk never starts;
/// - parametric experiments: where the walk ends, as a function of where
///   it started, of the learning rate, and of the number of steps;
/// - a code challenge: learning rates that change as the walk goes on, and
///   how each of them fails;
/// - local minima, random restarts, and why they worry people less in
///   high dimension.
///
/// The random restarts and the random matrices of section 6 are drawn from
/// the seed (`--seed`).

/* lecture5-descent-1d.c: lecture 5 as a literate program. The `///` lines
 * are the lesson's prose (see lesson.h); main() is the outline of the
 * lecture and the sections follow it in order. */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <nn/nn.h>

#include "lesson.h"
#include "running.h"
#include "lectures/lecture5-descent-1d.prose.h"

/* ===== Knobs ===== */

enum { FN_QUADRATIC, FN_WAVY };          /* --function, in the order of its choices */
static int function = FN_QUADRATIC;      /* --function: the landscape of sections 2, 4, 5 */
static double start = 2.0;               /* --start: the first guess x_0 */
static double lr = 0.02;                 /* --lr: the learning rate η */
static int epochs = 100;                 /* --epochs: the steps T of every run */
static int schedule = NN_DESCENT_FIXED;  /* --schedule: nn_descent_schedule, in order */
static double decay = 0.1;               /* --decay: k of η / (1 + k t) */
static int restarts = 20;                /* --restarts: random starts of section 6 */
static int weight = 8;                   /* --weight: the running problem's parameter
                                            walked in section 7 (running_param order) */
static double weight_start = -5.0;       /* --weight-start: where that walk starts */
static double running_lr = 20.0;         /* --running-lr: its learning rate */
static double running_sd = RUNNING_SD;   /* --running-sd: spread of the data's clouds */
static double scale = RUNNING_SCALE;     /* --scale: k of the hand-set weights */

static const lesson_option options[] = {
  {"function", LESSON_CHOICE, &function,
   "the function descended in sections 2, 4 and 5: 3x²-3x+4 or cos(2πx)+x²",
   .choices = "quadratic|wavy"},
  {"start", LESSON_DOUBLE, &start, "the starting value x_0 of the descent",
   .min = -10, .max = 10},
  {"lr", LESSON_DOUBLE, &lr, "the learning rate η", .min = 1e-6, .max = 2},
  {"epochs", LESSON_INT, &epochs, "the number of steps T of every run",
   .min = 1, .max = 10000},
  {"schedule", LESSON_CHOICE, &schedule,
   "how the learning rate changes from step to step",
   .choices = "fixed|linear|inverse|slope|loss"},
  {"decay", LESSON_DOUBLE, &decay, "k of the inverse decay η / (1 + k t)",
   .min = 0, .max = 100},
  {"restarts", LESSON_INT, &restarts, "random starting values in section 6",
   .min = 1, .max = 1000},
  {"weight", LESSON_CHOICE, &weight,
   "the running problem's weight walked in section 7 (the others stay hand-set)",
   .choices = "w11|w12|w21|w22|b1|b2|v1|v2|c"},
  {"weight-start", LESSON_DOUBLE, &weight_start, "where that walk starts",
   .min = -100, .max = 100},
  {"running-lr", LESSON_DOUBLE, &running_lr, "the learning rate of that walk",
   .min = 1e-6, .max = 1000},
  {"running-sd", LESSON_DOUBLE, &running_sd,
   "spread of the running problem's four clouds of points", .min = 0, .max = 1},
  {"scale", LESSON_DOUBLE, &scale, "k: the hand-set weights are ±k, k/2, 3k/2",
   .min = 0.1, .max = 50},
  {0}
};

/* ===== The two landscapes ===== */

/* A function of the lecture: its name, its formula and the library's f and
 * f' in GSL's shape. */
typedef struct landscape {
  const char *name;        /* "quadratic" */
  const char *formula;     /* "3x² - 3x + 4" */
  gsl_function_fdf fn;     /* f, f', both */
  double minimum;          /* its global minimum x* (the wavy one has two: ±) */
} landscape;

/* The global minimum of cos(2πx) + x²: the root of f'(x) = 0 near 0.47,
 * found once by Newton's method (nn_descent_wavy_deriv, and f'' by hand). */
static double
wavy_minimum(void)
{
  double x = 0.47;
  for (int k = 0; k < 50; k++) {  /* f''(x) = -4π² cos(2πx) + 2 */
    double d2 = -4.0 * M_PI * M_PI * cos(2.0 * M_PI * x) + 2.0;
    x -= nn_descent_wavy_deriv(x, NULL) / d2;
  }
  return x;
}

static landscape landscapes[2] = {
  {"quadratic", "3x² - 3x + 4",
   {nn_descent_quadratic, nn_descent_quadratic_deriv, nn_descent_quadratic_fdf, NULL},
   0.5},
  {"wavy", "cos(2πx) + x²",
   {nn_descent_wavy, nn_descent_wavy_deriv, nn_descent_wavy_fdf, NULL}, NAN},
};

/* The words of --schedule, in the order of nn_descent_schedule. */
static const char *const schedule_names[] = {"fixed", "linear", "inverse", "slope",
                                             "loss"};

static void the_idea(lesson *L);
static void first_descent(lesson *L, const landscape *f);
static void unfortunate_start(lesson *L);
static void experiment_start(lesson *L);
static void experiment_rate(lesson *L);
static void experiment_heat_map(lesson *L, const landscape *f);
static void dynamic_rates(lesson *L, const landscape *f);
static void local_minima(lesson *L);
static void running_one_weight(lesson *L);
static void closing(lesson *L);

int
main(int argc, char **argv)
{
  lesson *L = lesson_begin(argc, argv, &(lesson_info){
      .number = 5, .title = "Gradient descent in 1D",
      .options = options, .prose = &lecture_prose});
  landscapes[FN_WAVY].minimum = wavy_minimum();
  LESSON_PROSE(L);

  const landscape *f = &landscapes[function];
  the_idea(L);
  first_descent(L, f);
  unfortunate_start(L);
  experiment_start(L);
  experiment_rate(L);
  experiment_heat_map(L, f);
  dynamic_rates(L, f);
  local_minima(L);
  running_one_weight(L);
  closing(L);
  return lesson_finish(L);
}

/* ===== Helpers: runs that may diverge ===== */

/* The options of the knobs. */
static nn_descent_options
knob_options(void)
{
  return (nn_descent_options) {.lr = lr, .epochs = (size_t) epochs,
                               .schedule = (nn_descent_schedule) schedule,
                               .decay = decay};
}

/* A run whose divergence is a result, not an error: with a learning rate
 * too large x runs off to infinity, and the library then stops the run,
 * fills the rest of the path with NaN and reports GSL_EOVRFLW through
 * GSL_ERROR. The lesson's handler would end the lecture there, so it is set
 * aside for the run. Returns x_T, or NaN when the run diverged. */
static double
descend_fn(const gsl_function_fdf *fn, double x0, const nn_descent_options *opt,
           nn_descent_path *path)
{
  gsl_error_handler_t *lesson_handler = gsl_set_error_handler_off();
  int status = nn_descent_run_1d(fn, x0, opt, path);
  gsl_set_error_handler(lesson_handler);
  if (status != GSL_SUCCESS)
    return NAN;
  return gsl_matrix_get(path->x, opt->epochs, 0);
}

static double
descend(const landscape *f, double x0, const nn_descent_options *opt,
        nn_descent_path *path)
{
  return descend_fn(&f->fn, x0, opt, path);
}

/* A function on [lo, hi] as a curve of the figure p. */
static void
plot_curve(nn_plot *p, const gsl_function_fdf *fn, double lo, double hi,
           const char *legend)
{
  enum { N = 801 };
  double xs[N], ys[N];
  for (int k = 0; k < N; k++) {
    xs[k] = lo + (hi - lo) * k / (N - 1);
    ys[k] = GSL_FN_FDF_EVAL_F(fn, xs[k]);
  }
  nn_plot_series(p, legend, xs, ys, N, "lines lw 3 lc rgb '#0072b2'");
}

static void
plot_function(nn_plot *p, const landscape *f, double lo, double hi)
{
  char legend[96];
  snprintf(legend, sizeof legend, "f(x) = %s", f->formula);
  plot_curve(p, &f->fn, lo, hi, legend);
}

/// ## 1. The idea: guess, measure, step
///
/// We want the x where f(x) is smallest, and all we can ask f is its value
/// and its slope at one point at a time. So:
///
/// 1. **guess** a starting value x_0;
/// 2. **measure** the slope f'(x) there;
/// 3. **step** against the slope: x ← x - η f'(x);
/// 4. repeat from 2, for T steps (**epochs**).
///
/// Why against? Where f'(x) > 0, f rises as x grows, so downhill is to the
/// left, and -η f'(x) is negative; where f'(x) < 0 it is the other way.
/// The step is also proportional to the slope: long where the landscape
/// is steep, short near the bottom, where f'(x) = 0 and the walk stops by
/// itself. The **learning rate** η > 0 scales every step. Too small, and
/// the walk takes forever; too large, and it jumps over the valley.
///
/// The loop is drawn, with the numbers of the first step of the run of
/// section 2, in the diagram `descent-loop`; those numbers:

static void
the_idea(lesson *L)
{
  LESSON_PROSE(L);
  const landscape *f = &landscapes[function];
  double x0 = start, d0 = GSL_FN_FDF_EVAL_DF(&f->fn, x0);
  double x1 = x0;
  nn_descent_options opt = knob_options();
  double eta = NAN;
  nn_descent_rate(&opt, 0, GSL_FN_FDF_EVAL_F(&f->fn, x0), fabs(d0), &eta);
  nn_descent_step_1d(&x1, d0, eta, 0);

  nn_graph *g = lesson_graph(L, "descent-loop");
  char label[200];
  snprintf(label, sizeof label, "Gradient descent on f(x) = %s: the loop, "
           "with the numbers of its first step", f->formula);
  nn_graph_attr(g, "label", label);
  nn_graph_attr(g, "labelloc", "t");
  nn_graph_style box = {.shape = "box", .fillcolor = "#deebf7", .rank = 1,
                        .has_rank = 1};
  nn_graph_style guess = {.shape = "box", .fillcolor = "#fff2cc", .rank = 0,
                          .has_rank = 1};
  nn_graph_style stop = {.shape = "box", .fillcolor = "#e5f5e0", .penwidth = 2,
                         .rank = 3, .has_rank = 1};
  nn_graph_style rate = {.shape = "box", .fillcolor = "#f2f2f2", .rank = 1,
                         .has_rank = 1};
  snprintf(label, sizeof label, "1. guess\nx₀ = %s", lesson_num(L, x0));
  nn_graph_node(g, "guess", label, &guess);
  snprintf(label, sizeof label, "2. measure the slope\nf′(x) = %s", lesson_num(L, d0));
  nn_graph_node(g, "measure", label, &box);
  snprintf(label, sizeof label, "learning rate\nη = %s (%s)", lesson_num(L, eta),
           schedule_names[schedule]);
  nn_graph_node(g, "rate", label, &rate);
  box.rank = 2;
  snprintf(label, sizeof label, "3. step against it\nx ← x − η f′(x)\n= %s",
           lesson_num(L, x1));
  nn_graph_node(g, "step", label, &box);
  nn_descent_path *path = nn_descent_path_alloc(1, opt.epochs);
  double xT = descend(f, x0, &opt, path);
  nn_descent_path_free(path);
  if (isnan(xT))
    snprintf(label, sizeof label, "after T = %d epochs:\nx ran away (diverged)", epochs);
  else
    snprintf(label, sizeof label, "after T = %d epochs:\nx_T = %.6g", epochs, xT);
  nn_graph_node(g, "stop", label, &stop);
  nn_graph_edge(g, "guess", "measure", NULL, NULL);
  nn_graph_edge(g, "measure", "step", "f′(x)", NULL);
  nn_graph_edge(g, "rate", "step", "η", NULL);
  nn_graph_style again = {.color = "#d55e00", .fontcolor = "#d55e00"};
  nn_graph_edge(g, "step", "measure", "4. repeat at the new x", &again);
  nn_graph_edge(g, "step", "stop", "t = T", NULL);
  lesson_show_graph(L, g);
  nn_graph_free(g);
  lesson_printf(L, "x₀ = %s, f'(x₀) = %s, η = %s: x₁ = x₀ - η f'(x₀) = %s\n",
                lesson_num(L, x0), lesson_num(L, d0), lesson_num(L, eta),
                lesson_num(L, x1));
}

/// ## 2. Descent on f(x) = 3x² - 3x + 4
///
/// The function of lecture 1: f'(x) = 6x - 3, zero at x = 0.5, the bottom
/// of the parabola. Starting at x_0 (`--start`) with the learning rate η
/// (`--lr`) for T epochs (`--epochs`); `--function wavy` walks the function
/// of section 3 instead, and `--schedule` changes the rate as the walk goes
/// (section 5). The first steps and the last:

/* One row of the table of a run: epoch t, x_t, f(x_t), f'(x_t), and the
 * rate and step that take x_t to x_{t+1}. */
static void
path_row(lesson *L, const nn_descent_path *path, size_t t)
{
  double x = gsl_matrix_get(path->x, t, 0), d = gsl_matrix_get(path->grad, t, 0);
  lesson_printf(L, "  %-6zu %-20s %-20s %-20s", t, lesson_num(L, x),
                lesson_num(L, gsl_vector_get(path->f, t)), lesson_num(L, d));
  if (t < path->steps) {
    double eta = gsl_vector_get(path->lr, t);
    lesson_printf(L, " %-10s %s", lesson_num(L, eta), lesson_num(L, -eta * d));
  }
  lesson_printf(L, "\n");
}

static void
first_descent(lesson *L, const landscape *f)
{
  LESSON_PROSE(L);
  nn_descent_options opt = knob_options();
  nn_descent_path *path = nn_descent_path_alloc(1, opt.epochs);
  double xT = descend(f, start, &opt, path);
  const size_t T = path->steps;
  lesson_printf(L, "f(x) = %s, x₀ = %s, η = %s (%s), T = %d epochs\n\n", f->formula,
                lesson_num(L, start), lesson_num(L, lr), schedule_names[schedule],
                epochs);
  lesson_printf(L, "  epoch  x_t                  f(x_t)               f'(x_t)     "
                "         η_t        step -η_t f'(x_t)\n");
  for (size_t t = 0; t <= T; t++) {
    if (t == 5 && T > 8) {
      lesson_printf(L, "  ...\n");
      t = T - 2;
    }
    path_row(L, path, t);
  }
  if (path->diverged) {
    lesson_printf(L, "\nthe run diverged at step %zu: x left the range of floating-"
                  "point numbers.\nThe learning rate is too large for this function: "
                  "try a smaller --lr.\n", T + 1);
  } else {
    double dT = GSL_FN_FDF_EVAL_DF(&f->fn, xT);
    lesson_printf(L, "\nafter %d epochs: x = %s, f'(x) = %.3g\n", epochs,
                  lesson_num(L, xT), dT);
    if (function == FN_QUADRATIC)
      lesson_printf(L, "the minimum is x* = %s: |x - x*| = %.3g\n",
                    lesson_num(L, f->minimum), fabs(xT - f->minimum));
  }

  /// On the quadratic the walk can be solved exactly. With a fixed rate,
  /// x_{t+1} - 0.5 = x_t - 0.5 - η (6 x_t - 3) = (1 - 6η)(x_t - 0.5): every
  /// step multiplies the distance to the minimum by (1 - 6η), so
  ///
  ///     x_t = 0.5 + (1 - 6η)^t (x_0 - 0.5)
  ///
  /// It converges when |1 - 6η| < 1, that is for 0 < η < 1/3: smoothly for
  /// η < 1/6, in one step at η = 1/6, zigzagging across the valley for
  /// 1/6 < η < 1/3; beyond 1/3 every step overshoots further, and x runs
  /// away. The formula against the run (fixed rate, quadratic):
  LESSON_PROSE(L);
  if (function == FN_QUADRATIC && schedule == NN_DESCENT_FIXED && !path->diverged) {
    double factor = 1.0 - 6.0 * lr, worst = 0.0;
    for (size_t t = 0; t <= T; t++) {
      double formula = 0.5 + pow(factor, (double) t) * (start - 0.5);
      worst = GSL_MAX(worst, fabs(formula - gsl_matrix_get(path->x, t, 0)));
    }
    lesson_printf(L, "1 - 6η = %s; x_T by the formula: %s\n", lesson_num(L, factor),
                  lesson_num(L, 0.5 + pow(factor, epochs) * (start - 0.5)));
    lesson_printf(L, "largest |formula - run| over the %zu epochs: %.3g\n", T, worst);
  } else {
    lesson_printf(L, "(this run is not a fixed-rate run on the quadratic: rerun with "
                  "--function quadratic\n --schedule fixed to compare)\n");
  }
  lesson_try(L, "predict x_T for η = 0.3, where 1 - 6η = -0.8, then run "
             "`make lecture5 ARGS='--lr 0.3'`; and `--lr 0.34`.");

  /// The walk drawn on the function (figure `descent-path`, below); the
  /// figure `descent-per-epoch` draws x and the slope f'(x) epoch by epoch,
  /// the columns x_t and f'(x_t) of the table above. The slope shrinks as
  /// x arrives, and so do the steps: nobody told the loop to slow down,
  /// the landscape did.
  LESSON_PROSE(L);
  double lo = -2.0, hi = 2.0;
  for (size_t t = 0; t <= T; t++) {  /* the part of the path worth showing */
    double x = gsl_matrix_get(path->x, t, 0);
    lo = GSL_MAX(-6.0, GSL_MIN(lo, x - 0.25));
    hi = GSL_MIN(6.0, GSL_MAX(hi, x + 0.25));
  }
  nn_plot *p = lesson_plot(L, "descent-path");
  char title[200], legend[128];
  snprintf(title, sizeof title, "Gradient descent on f(x) = %s from x₀ = %s, "
           "η = %s, %d epochs", f->formula, lesson_num(L, start), lesson_num(L, lr),
           epochs);
  nn_plot_title(p, title);
  nn_plot_labels(p, "x", "f(x)");
  nn_plot_set(p, "xrange [%.17g:%.17g]", lo, hi);
  plot_function(p, f, lo, hi);
  gsl_vector_view xs = gsl_matrix_column(path->x, 0);
  gsl_vector_view fx = gsl_vector_subvector(path->f, 0, T + 1);
  gsl_vector_view xt = gsl_vector_subvector(&xs.vector, 0, T + 1);
  nn_plot_series_vector(p, "the path of x, one point per epoch", &xt.vector,
                        &fx.vector, "linespoints lw 1 pt 7 ps 0.8 lc rgb '#d55e00'");
  double x0 = start, f0 = gsl_vector_get(path->f, 0);
  snprintf(legend, sizeof legend, "start x₀ = %s", lesson_num(L, start));
  nn_plot_series(p, legend, &x0, &f0, 1, "points pt 6 ps 3 lw 2 lc rgb '#000000'");
  double xe = gsl_matrix_get(path->x, T, 0), fe = gsl_vector_get(path->f, T);
  snprintf(legend, sizeof legend, "end x_T = %.6g", xe);
  nn_plot_series(p, legend, &xe, &fe, 1, "points pt 9 ps 3 lc rgb '#009e73'");
  lesson_show_plot(L, p);
  nn_plot_free(p);

  double *ep = malloc((T + 1) * sizeof *ep);
  if (ep == NULL)
    GSL_ERROR_VOID("first_descent: out of memory", GSL_ENOMEM);
  for (size_t t = 0; t <= T; t++)
    ep[t] = (double) t;
  p = lesson_plot(L, "descent-per-epoch");
  snprintf(title, sizeof title, "x and the slope f′(x) epoch by epoch, "
           "f(x) = %s, η = %s", f->formula, lesson_num(L, lr));
  nn_plot_title(p, title);
  nn_plot_labels(p, "epoch t", "x_t and f′(x_t)");
  nn_plot_set(p, "xzeroaxis lt 1 lw 1 lc rgb '#808080'");
  nn_plot_set(p, "xrange [0:%zu]", T);
  gsl_vector_view dx = gsl_matrix_column(path->grad, 0);
  gsl_vector_view dt = gsl_vector_subvector(&dx.vector, 0, T + 1);
  gsl_vector_const_view epv = gsl_vector_const_view_array(ep, T + 1);
  nn_plot_series_vector(p, "x_t", &epv.vector, &xt.vector, "linespoints lw 2 pt 7 ps 0.6");
  nn_plot_series_vector(p, "f′(x_t), the slope", &epv.vector, &dt.vector,
                        "linespoints lw 2 pt 5 ps 0.6");
  if (function == FN_QUADRATIC) {
    double mx[2] = {0.0, (double) T}, my[2] = {0.5, 0.5};
    nn_plot_series(p, "the minimum x* = 0.5", mx, my, 2,
                   "lines lw 1.5 dt 2 lc rgb '#555555'");
  }
  lesson_save_plot(L, p);
  nn_plot_free(p);
  free(ep);
  nn_descent_path_free(path);
}

/// ## 3. Code challenge: an unfortunate starting value
///
/// Now a landscape with many valleys,
///
///     f(x) = cos(2πx) + x²,   f'(x) = -2π sin(2πx) + 2x
///
/// on [-2, 2]: the cosine makes a bump at every whole number, and x²
/// tilts them into a bowl. Start the walk at exactly x_0 = 0, and, for
/// comparison, at 0.01 and -0.01.

static void
unfortunate_start(lesson *L)
{
  LESSON_PROSE(L);
  if (lesson_challenge(L, "Started at exactly x_0 = 0, where does the walk end, and "
                       "does the answer depend on η or on the number of epochs?"))
    lesson_printf(L, "It never moves. f'(0) = -2π sin(0) + 0 = 0, so the first step "
                  "is -η · 0 = 0, x is\nstill 0, where the slope is still 0, whatever "
                  "η and however many epochs. Yet\nx = 0 is no minimum: it is the top "
                  "of a bump, a local maximum. A zero\nderivative means \"flat\", not "
                  "\"bottom\": minima, maxima and (in more dimensions)\nsaddles all "
                  "have it, and gradient descent cannot tell them apart. Nudged by\n"
                  "0.01 either way, the walk rolls off the bump into a valley.\n");
  lesson_printf(L, "\n");
  const landscape *f = &landscapes[FN_WAVY];
  nn_descent_options opt = {.lr = lr, .epochs = (size_t) epochs};
  nn_descent_path *paths[3];
  const double starts[3] = {0.0, 0.01, -0.01};
  lesson_printf(L, "f'(0) = %s (η = %s, %d epochs, fixed rate)\n\n",
                lesson_num(L, nn_descent_wavy_deriv(0.0, NULL)), lesson_num(L, lr),
                epochs);
  lesson_printf(L, "  x_0      x_T                   f(x_T)               f'(x_T)\n");
  for (size_t k = 0; k < 3; k++) {
    paths[k] = nn_descent_path_alloc(1, opt.epochs);
    double xT = descend(f, starts[k], &opt, paths[k]);
    if (isnan(xT))
      lesson_printf(L, "  %-8s diverged (η too large for this function)\n",
                    lesson_num(L, starts[k]));
    else
      lesson_printf(L, "  %-8s %-21s %-20s %.3g\n", lesson_num(L, starts[k]),
                    lesson_num(L, xT), lesson_num(L, GSL_FN_FDF_EVAL_F(&f->fn, xT)),
                    GSL_FN_FDF_EVAL_DF(&f->fn, xT));
  }
  size_t moved = 0;  /* epochs at which the run from 0 is not exactly at 0 */
  for (size_t t = 0; t <= paths[0]->steps; t++)
    moved += gsl_matrix_get(paths[0]->x, t, 0) != 0.0;
  lesson_printf(L, "\nfrom x_0 = 0: x_t = 0 exactly at every one of the %zu epochs "
                "(%zu exceptions)\n", paths[0]->steps + 1, moved);
  lesson_printf(L, "the global minima are x = ±%s, where f = %s\n",
                lesson_num(L, f->minimum), lesson_num(L, nn_descent_wavy(f->minimum, NULL)));

  /// How would you avoid it? Start at a random x: the chance of landing
  /// exactly on a flat point is zero. That is one reason networks start
  /// from random weights. The figure `unfortunate-start` draws the three
  /// walks on the function:
  LESSON_PROSE(L);
  nn_plot *p = lesson_plot(L, "unfortunate-start");
  nn_plot_title(p, "An unfortunate starting value: f(x) = cos(2πx) + x², "
                "f′(0) = 0");
  nn_plot_labels(p, "x", "f(x)");
  nn_plot_set(p, "xrange [-2:2]");
  plot_function(p, f, -2.0, 2.0);
  static const char *const colours[] = {"#d55e00", "#009e73", "#cc79a7"};
  static const char *const names[] = {"from x₀ = 0: never moves",
                                      "from x₀ = 0.01", "from x₀ = −0.01"};
  for (size_t k = 0; k < 3; k++) {
    const size_t T = paths[k]->steps;
    gsl_vector_view xs = gsl_matrix_column(paths[k]->x, 0);
    gsl_vector_view xt = gsl_vector_subvector(&xs.vector, 0, T + 1);
    gsl_vector_view ft = gsl_vector_subvector(paths[k]->f, 0, T + 1);
    char style[96];
    snprintf(style, sizeof style, "linespoints lw 1.5 pt %d ps %s lc rgb '%s'",
             k == 0 ? 7 : 5, k == 0 ? "2.5" : "0.8", colours[k]);
    nn_plot_series_vector(p, names[k], &xt.vector, &ft.vector, style);
  }
  lesson_show_plot(L, p);
  nn_plot_free(p);
  for (size_t k = 0; k < 3; k++)
    nn_descent_path_free(paths[k]);
}

/// ## 4. Parametric experiments
///
/// One run tells a story; a parametric experiment tells the rule. Vary one
/// parameter over a range, keep the others fixed, run the descent for each
/// value, and plot where it ends. Three experiments, on both functions.
///
/// **Final x against the starting value.** Starts from -2 to 2, the
/// learning rate and epochs of the knobs:

/* n evenly spaced values from lo to hi. */
static void
linspace(double *v, size_t n, double lo, double hi)
{
  for (size_t k = 0; k < n; k++)
    v[k] = lo + (hi - lo) * (double) k / (double) (n - 1);
}

static void
experiment_start(lesson *L)
{
  LESSON_PROSE(L);
  enum { N = 401 };
  double x0[N], final[2][N];
  linspace(x0, N, -2.0, 2.0);
  nn_descent_options opt = knob_options();
  nn_descent_path *path = nn_descent_path_alloc(1, opt.epochs);
  for (size_t m = 0; m < 2; m++)
    for (size_t k = 0; k < N; k++)
      final[m][k] = descend(&landscapes[m], x0[k], &opt, path);
  nn_descent_path_free(path);

  /* The quadratic: every start ends at the minimum. The wavy function: the
   * distinct ends, each with the starts that reach it. */
  double worst = 0.0;
  size_t lost = 0;  /* runs that diverged */
  for (size_t k = 0; k < N; k++) {
    if (isnan(final[0][k]))
      lost++;
    else
      worst = GSL_MAX(worst, fabs(final[0][k] - 0.5));
  }
  if (lost == N)
    lesson_printf(L, "quadratic: every one of the %d runs diverged (η = %s is too "
                  "large for it)\n", N, lesson_num(L, lr));
  else if (lost > 0)
    lesson_printf(L, "quadratic: %zu of the %d runs diverged; the other %zu end with "
                  "|x_T - 0.5| <= %.3g\n", lost, N, N - lost, worst);
  else
    lesson_printf(L, "quadratic: from every one of the %d starts, |x_T - 0.5| <= %.3g\n",
                  N, worst);
  lesson_printf(L, "wavy: where the runs end (rounded to 4 decimals)\n");
  lesson_printf(L, "  final x    f(final x)   starts   from x_0 in\n");
  enum { MOST_ROWS = 16 };  /* a table longer than that is read by nobody */
  size_t k = 0, rows = 0, hidden_rows = 0, hidden_starts = 0;
  while (k < N) {
    size_t j = k;  /* a run of neighbouring starts with the same end */
    while (j + 1 < N && (isnan(final[1][k]) ? isnan(final[1][j + 1])
                         : fabs(final[1][j + 1] - final[1][k]) < 1e-4))
      j++;
    double xe = final[1][k];
    if (rows++ >= MOST_ROWS) {
      hidden_rows++;
      hidden_starts += j - k + 1;
    } else if (isnan(xe)) {
      lesson_printf(L, "  diverged                %-8zu [%.4g, %.4g]\n", j - k + 1,
                    x0[k], x0[j]);
    } else {
      lesson_printf(L, "  %-10.4f %-12.4f %-8zu [%.4g, %.4g]\n", xe,
                    nn_descent_wavy(xe, NULL), j - k + 1, x0[k], x0[j]);
    }
    k = j + 1;
  }
  if (hidden_rows > 0)
    lesson_printf(L, "  ... %zu more groups (%zu starts), up to x_0 = %.4g\n",
                  hidden_rows, hidden_starts, x0[N - 1]);

  /// On the quadratic the answer does not depend on the start: one valley,
  /// one bottom. On the wavy function it is a staircase: every valley
  /// collects the starts on its slopes (its **basin of attraction**), and
  /// the walk ends at the bottom of the valley it started in, good or not.
  /// The lone start at exactly 0 is the unfortunate one of section 3.
  LESSON_PROSE(L);
  lesson_try(L, "predict what a larger rate does to the staircase, then run "
             "`make lecture5 ARGS='--lr 0.04'`.");
  nn_plot *p = lesson_plot(L, "final-x-vs-start");
  char title[160];
  snprintf(title, sizeof title, "Where the descent ends, by where it starts "
           "(η = %s, %d epochs)", lesson_num(L, lr), epochs);
  nn_plot_title(p, title);
  nn_plot_labels(p, "starting value x₀", "final value x_T");
  nn_plot_set(p, "xrange [-2:2]");
  nn_plot_set(p, "yrange [-2.2:2.2]");
  nn_plot_series(p, "f(x) = 3x² − 3x + 4", x0, final[0], N, "lines lw 3");
  nn_plot_series(p, "f(x) = cos(2πx) + x²", x0, final[1], N, "points pt 7 ps 0.6");
  lesson_show_plot(L, p);
  nn_plot_free(p);
}

/// **Final x against the learning rate.** Rates from 0.0001 to 1 on a
/// log scale, from the start x_0 of the knobs, for T epochs:

static void
experiment_rate(lesson *L)
{
  LESSON_PROSE(L);
  enum { N = 401 };
  double rates[N], final[2][N];
  for (size_t k = 0; k < N; k++)  /* 10^-4 .. 10^0, evenly on a log scale */
    rates[k] = pow(10.0, -4.0 + 4.0 * (double) k / (N - 1));
  nn_descent_options opt = knob_options();
  nn_descent_path *path = nn_descent_path_alloc(1, opt.epochs);
  for (size_t m = 0; m < 2; m++)
    for (size_t k = 0; k < N; k++) {
      opt.lr = rates[k];
      final[m][k] = descend(&landscapes[m], start, &opt, path);
    }

  lesson_printf(L, "quadratic from x_0 = %s, %d epochs, %s rate:\n", lesson_num(L, start),
                epochs, schedule_names[schedule]);
  lesson_printf(L, "  η         x_T                   |x_T - 0.5|   verdict\n");
  static const double shown[] = {1e-4, 1e-3, 0.01, 0.1, 1.0 / 6, 0.25, 1.0 / 3, 0.4};
  enum { SHOWN = sizeof shown / sizeof shown[0] };
  enum { SLOW, ARRIVED, STUCK, AWAY } verdicts[SHOWN];
  for (size_t k = 0; k < SHOWN; k++) {
    opt.lr = shown[k];
    double xT = descend(&landscapes[FN_QUADRATIC], start, &opt, path);
    double gap = fabs(xT - 0.5), before = fabs(start - 0.5);
    double prev = path->steps >= 1 ? fabs(gsl_matrix_get(path->x, path->steps - 1, 0)
                                          - 0.5) : before;
    const char *verdict;
    if (isnan(xT)) {
      verdicts[k] = AWAY;
      verdict = "diverged: x overflowed";
    } else if (gap < 1e-6) {
      verdicts[k] = ARRIVED;
      verdict = "arrived";
    } else if (gap >= before * (1 - 1e-12) && gap > prev * (1 + 1e-12)) {
      verdicts[k] = AWAY;
      verdict = "runs away: every step overshoots further";
    } else if (gap >= before * (1 - 1e-12)) {
      verdicts[k] = STUCK;
      verdict = "stuck: jumps back and forth";
    } else {
      verdicts[k] = SLOW;
      verdict = "on its way, not there yet";
    }
    if (isnan(xT))
      lesson_printf(L, "  %-9.4g %-21s %-13s %s\n", shown[k], "(none)", "-", verdict);
    else
      lesson_printf(L, "  %-9.4g %-21s %-13.3g %s\n", shown[k], lesson_num(L, xT), gap,
                    verdict);
  }
  nn_descent_path_free(path);

  /* What this table shows, in words that depend on its numbers. */
  size_t arrived = 0, first = SHOWN, last = 0, slow = 0, away = 0;
  for (size_t k = 0; k < SHOWN; k++) {
    slow += verdicts[k] == SLOW;
    away += verdicts[k] == AWAY || verdicts[k] == STUCK;
    if (verdicts[k] == ARRIVED) {
      arrived++;
      first = GSL_MIN(first, k);
      last = k;
    }
  }
  if (arrived > 0)
    lesson_printf(L, "\n%zu of these rates arrive within %d epochs, from η = %.4g to "
                  "η = %.4g;", arrived, epochs, shown[first], shown[last]);
  else
    lesson_printf(L, "\nNone of these rates arrives within %d epochs%s;", epochs,
                  schedule == NN_DESCENT_FIXED ? "" : " with this schedule");
  lesson_printf(L, " %zu %s still on the way, %zu overshoot%s or run%s away.\n", slow,
                slow == 1 ? "is" : "are", away, away == 1 ? "s" : "",
                away == 1 ? "s" : "");

  /// Too small a rate and T epochs are not enough to arrive; too large a
  /// rate overshoots, zigzags, and finally runs away; in between, with
  /// enough epochs, a rate arrives (try `--epochs 10`: fewer arrive).
  /// For the quadratic the borders are the 1/6 and 1/3 of section 2. Near
  /// the bottom of any valley a smooth f looks like a parabola, and the
  /// same argument gives the limit η < 2/f''(x*): the steeper the valley
  /// (the larger f''), the smaller the rates that work. The wavy function's
  /// valleys are much steeper than the quadratic's, so it runs out of good
  /// rates much sooner, and then hops from valley to valley:
  LESSON_PROSE(L);
  const double xw = landscapes[FN_WAVY].minimum;
  const double d2w = -4.0 * M_PI * M_PI * cos(2.0 * M_PI * xw) + 2.0;  /* f''(x*) */
  lesson_printf(L, "  function         f''(x*)              largest stable η = 2/f''(x*)\n");
  lesson_printf(L, "  3x² - 3x + 4     %-20s %s\n", lesson_num(L, 6.0),
                lesson_num(L, 2.0 / 6.0));
  lesson_printf(L, "  cos(2πx) + x²    %-20s %s\n", lesson_num(L, d2w),
                lesson_num(L, 2.0 / d2w));
  nn_plot *p = lesson_plot(L, "final-x-vs-rate");
  char title[160];
  snprintf(title, sizeof title, "Where the descent ends, by learning rate "
           "(x₀ = %s, %d epochs)", lesson_num(L, start), epochs);
  nn_plot_title(p, title);
  nn_plot_labels(p, "learning rate η", "final value x_T");
  nn_plot_set(p, "logscale x");
  nn_plot_set(p, "format x (GPVAL_TERM eq 'dumb' ? '%%.0e' : '10^{%%L}')");
  nn_plot_set(p, "xrange [1e-4:1]");
  nn_plot_set(p, "yrange [-3:3]");
  nn_plot_series(p, "f(x) = 3x² − 3x + 4", rates, final[0], N, "lines lw 3");
  nn_plot_series(p, "f(x) = cos(2πx) + x²", rates, final[1], N, "points pt 7 ps 0.6");
  double bx[2] = {1.0 / 3, 1.0 / 3}, by[2] = {-3.0, 3.0};
  nn_plot_series(p, "η = 1/3: the quadratic's limit", bx, by, 2,
                 "lines lw 1.5 dt 2 lc rgb '#555555'");
  lesson_show_plot(L, p);
  nn_plot_free(p);
}

/// **How close the walk gets, over learning rate × epochs.** Two
/// parameters at once: a grid of rates (across) and numbers of epochs (up),
/// one run per cell. What matters in a cell is how far x_T ends from the
/// minimum x*, and that distance spans many orders of magnitude, so the
/// colour is its logarithm, log10|x_T - x*|: -3 means three correct
/// decimals, 0 means still a whole unit away (on the wavy function x* is
/// the nearer of its two global minima ±x*). A run that diverged has no
/// distance at all; it gets a value of its own, above every distance, and
/// a colour of its own. For the function of the knobs (`--function`):

/* The heat map's value for a run that diverged, above every clamped
 * log10 distance (which lie in [HEAT_FLOOR, HEAT_CEIL]). */
#define HEAT_FLOOR (-16.0)  /* double precision: 16 digits at most */
#define HEAT_CEIL 1.0       /* 10 or more away: as bad as it gets */
#define HEAT_DIVERGED 2.5

/* log10 of the distance from x_T to the nearest global minimum of f,
 * clamped to [HEAT_FLOOR, HEAT_CEIL]; HEAT_DIVERGED for a run that
 * diverged (NaN) or ran beyond 1e6. */
static double
heat_value(const landscape *f, double xT)
{
  if (isnan(xT) || fabs(xT) > 1e6)
    return HEAT_DIVERGED;
  double gap = fabs(xT - f->minimum);
  if (f == &landscapes[FN_WAVY])
    gap = GSL_MIN(gap, fabs(xT + f->minimum));
  if (gap == 0)
    return HEAT_FLOOR;
  return GSL_MAX(HEAT_FLOOR, GSL_MIN(HEAT_CEIL, log10(gap)));
}

/* One character for a heat map cell: 'X' diverged, '.' 1 or more away,
 * else the digit d with |x_T - x*| < 10^-d (9 for nine or more). */
static char
heat_char(double value)
{
  if (value == HEAT_DIVERGED)
    return 'X';
  if (value >= 0)
    return '.';
  return (char) ('0' + (int) GSL_MIN(9.0, floor(-value)));
}

static void
experiment_heat_map(lesson *L, const landscape *f)
{
  LESSON_PROSE(L);
  const size_t NR = 80;                          /* rates 0.005, 0.01, ..., 0.4 */
  const size_t NE = GSL_MIN((size_t) epochs, (size_t) 100);  /* rows of epochs */
  const size_t every = (size_t) epochs / NE;     /* epochs between rows */
  gsl_vector *rates = gsl_vector_alloc(NR), *rows = gsl_vector_alloc(NE);
  gsl_matrix *heat = gsl_matrix_alloc(NE, NR);
  for (size_t j = 0; j < NR; j++)
    gsl_vector_set(rates, j, 0.005 * (double) (j + 1));
  for (size_t i = 0; i < NE; i++)
    gsl_vector_set(rows, i, (double) ((i + 1) * every));
  nn_descent_options opt = knob_options();
  nn_descent_path *path = nn_descent_path_alloc(1, opt.epochs);
  size_t arrived = 0, diverged = 0;
  for (size_t i = 0; i < NE; i++)
    for (size_t j = 0; j < NR; j++) {
      opt.lr = gsl_vector_get(rates, j);
      opt.epochs = (i + 1) * every;
      double xT = descend(f, start, &opt, path);
      gsl_matrix_set(heat, i, j, heat_value(f, xT));
      if (isnan(xT) || fabs(xT) > 1e6)
        diverged++;
      else if (fabs(GSL_FN_FDF_EVAL_DF(&f->fn, xT)) < 1e-6)
        arrived++;
    }
  nn_descent_path_free(path);
  lesson_printf(L, "f(x) = %s from x_0 = %s: %zu rates from %s to %s, %zu epoch "
                "counts from %zu to %zu\n", f->formula, lesson_num(L, start), NR,
                lesson_num(L, gsl_vector_get(rates, 0)),
                lesson_num(L, gsl_vector_get(rates, NR - 1)), NE, every, NE * every);
  lesson_printf(L, "%zu of the %zu runs settle on a flat point (|f'(x_T)| < 1e-6), "
                "%zu run off (|x_T| > 1e6 or overflow)\n", arrived, NR * NE, diverged);

  /* The map in characters: every other rate, ten rows of epochs, the most
   * epochs on top as in the figure. */
  lesson_printf(L, "\nThe map in characters (one run each; a digit d: |x_T - x*| < "
                "10^-d,\n'.': 1 or more away, X: diverged):\n\n");
  const size_t shown_rows = GSL_MIN(NE, (size_t) 10), row_step = NE / shown_rows;
  for (size_t r = shown_rows; r-- > 0;) {
    const size_t i = (r + 1) * row_step - 1;
    lesson_printf(L, "  T = %-5zu ", (i + 1) * every);
    for (size_t j = 1; j < NR; j += 2)
      lesson_printf(L, "%c", heat_char(gsl_matrix_get(heat, i, j)));
    lesson_printf(L, "\n");
  }
  char left[48], right[48];
  snprintf(left, sizeof left, "^ η = %s", lesson_num(L, gsl_vector_get(rates, 1)));
  snprintf(right, sizeof right, "%s ^", lesson_num(L, gsl_vector_get(rates, NR - 1)));
  lesson_printf(L, "%12s%s%s\n", "", lesson_pad(L, left, (int) (NR / 2 - strlen(right))),
                right);

  /// Read it along a row (a fixed number of epochs): small rates have not
  /// arrived yet (few digits), middle ones have, large ones overshoot. Along
  /// a column (a fixed rate): more epochs carry a small rate further. The
  /// product η·T sets how far a slow walk gets, which is why halving the
  /// rate asks for twice the epochs. On the quadratic the distance shrinks
  /// by |1 - 6η| per step: fastest at η = 1/6 (one step to the bottom),
  /// slower on both sides of it, and beyond η = 1/3 it grows: those runs
  /// diverge. The figure `final-x-heat-map` draws the same grid in colour
  /// with the borders of section 2 as vertical lines.
  LESSON_PROSE(L);
  lesson_try(L, "predict where the X region starts for `--function wavy`, then run "
             "`make lecture5 ARGS='--function wavy'`.");
  nn_plot *p = lesson_plot(L, "final-x-heat-map");
  char title[200];
  snprintf(title, sizeof title, "How close descent on f(x) = %s from x₀ = %s gets "
           "to the minimum", f->formula, lesson_num(L, start));
  nn_plot_title(p, title);
  nn_plot_labels(p, "learning rate η", "epochs T");
  nn_plot_set(p, "cblabel 'log10 |x_T − x*|'");
  nn_plot_set(p, "cbrange [%g:%g]", HEAT_FLOOR, HEAT_DIVERGED + 0.5);
  /* viridis-like for the distances, then a sharp jump to red: divergence */
  nn_plot_set(p, "palette defined (%g '#440154', %g '#31688e', %g '#35b779', "
              "%g '#fde725', %g '#fde725', %g '#d62728', %g '#d62728')",
              HEAT_FLOOR, 0.6 * HEAT_FLOOR, 0.25 * HEAT_FLOOR, HEAT_CEIL,
              HEAT_CEIL + 0.75, HEAT_CEIL + 0.76, HEAT_DIVERGED + 0.5);
  nn_plot_set(p, "cbtics ('10^{-16}' -16, '10^{-12}' -12, '10^{-8}' -8, '10^{-4}' -4, "
              "'1' 0, 'diverged' %g)", HEAT_DIVERGED);
  nn_plot_set(p, "key below spacing 1.5 height 1");
  nn_plot_set(p, "bmargin 6");
  nn_plot_grid(p, NULL, rates, rows, heat, NULL);
  double ey[2] = {0.5 * (double) every, ((double) NE + 0.5) * (double) every};
  if (f == &landscapes[FN_QUADRATIC]) {  /* the borders of section 2 */
    double sixth[2] = {1.0 / 6, 1.0 / 6}, third[2] = {1.0 / 3, 1.0 / 3};
    nn_plot_series(p, "η = 1/6: one step to the bottom", sixth, ey, 2,
                   "lines lw 2 dt 2 lc rgb '#ffffff'");
    nn_plot_series(p, "η = 1/3: beyond it, x runs away", third, ey, 2,
                   "lines lw 3 lc rgb '#ffffff'");
  } else {  /* the limit 2/f''(x*) of the deepest valleys */
    const double xw = f->minimum;
    const double limit = 2.0 / (-4.0 * M_PI * M_PI * cos(2.0 * M_PI * xw) + 2.0);
    double lx[2] = {limit, limit};
    char legend[96];
    snprintf(legend, sizeof legend, "η = 2/f″(x*) = %.3g: the deepest valleys' limit",
             limit);
    nn_plot_series(p, legend, lx, ey, 2, "lines lw 3 lc rgb '#ffffff'");
  }
  lesson_save_plot(L, p);
  nn_plot_free(p);
  gsl_vector_free(rates);
  gsl_vector_free(rows);
  gsl_matrix_free(heat);
}

/// ## 5. Code challenge: fixed or dynamic learning rate?
///
/// A fixed η has to be small enough for the steepest part of the walk and
/// is then too small for the flat part. So let it change, as the library's
/// schedules do (`--schedule` names them):
///
///     fixed     η_t = η
///     linear    η_t = η (1 - t/T)     linear decay: smaller and smaller with time
///     inverse   η_t = η / (1 + k t)   inverse decay, the same, k = --decay
///     slope     η_t = η |f'(x_t)|     scaled by the slope: large on steep slopes,
///                                     small near a bottom
///     loss      η_t = η |f(x_t)|      scaled by the loss: large where the loss is
///
/// Each of them, on the function and from the start of the knobs:

static void
dynamic_rates(lesson *L, const landscape *f)
{
  LESSON_PROSE(L);
  const size_t T = (size_t) epochs;
  nn_descent_path *paths[5];
  lesson_printf(L, "f(x) = %s, x_0 = %s, η = %s, k = %s, T = %d\n\n", f->formula,
                lesson_num(L, start), lesson_num(L, lr), lesson_num(L, decay), epochs);
  lesson_printf(L, "  schedule        η_0          η_(T-1)      x_T                 "
                " |f'(x_T)|\n");
  for (int s = 0; s < 5; s++) {
    nn_descent_options opt = knob_options();
    opt.schedule = (nn_descent_schedule) s;
    paths[s] = nn_descent_path_alloc(1, T);
    double xT = descend(f, start, &opt, paths[s]);
    if (isnan(xT)) {
      lesson_printf(L, "  %-15s %-12.4g diverged at step %zu\n", schedule_names[s],
                    gsl_vector_get(paths[s]->lr, 0), paths[s]->steps + 1);
      continue;
    }
    lesson_printf(L, "  %-15s %-12.4g %-12.4g %-20s %.3g\n", schedule_names[s],
                  gsl_vector_get(paths[s]->lr, 0), gsl_vector_get(paths[s]->lr, T - 1),
                  lesson_num(L, xT), fabs(GSL_FN_FDF_EVAL_DF(&f->fn, xT)));
  }

  /// The walks, x epoch by epoch (figure `schedules-x`; the figure
  /// `schedules-rate` draws the rate η_t each step used, on a log scale):
  LESSON_PROSE(L);
  double *ep = malloc(T * sizeof *ep + (T + 1) * sizeof *ep);
  if (ep == NULL)
    GSL_ERROR_VOID("dynamic_rates: out of memory", GSL_ENOMEM);
  for (size_t t = 0; t <= T; t++)
    ep[t] = (double) t;
  char title[200];
  nn_plot *px = lesson_plot(L, "schedules-x");
  nn_plot *pr = lesson_plot(L, "schedules-rate");
  snprintf(title, sizeof title, "x epoch by epoch, one walk per schedule "
           "(f(x) = %s, η = %s)", f->formula, lesson_num(L, lr));
  nn_plot_title(px, title);
  nn_plot_labels(px, "epoch t", "x_t");
  snprintf(title, sizeof title, "The learning rate η_t each step used (η = %s)",
           lesson_num(L, lr));
  nn_plot_title(pr, title);
  nn_plot_labels(pr, "epoch t", "η_t");
  nn_plot_set(pr, "logscale y");
  for (int s = 0; s < 5; s++) {
    gsl_vector_view xs = gsl_matrix_column(paths[s]->x, 0);
    nn_plot_series(px, schedule_names[s], ep, xs.vector.data, T + 1,
                   "lines lw 2.5");
    /* the rate of the last step of a linear decay is η/T > 0; a rate of 0
     * (a flat point, under the scaled schedules) cannot be drawn on a log
     * scale and leaves a gap */
    double *rate = ep + T + 1;
    for (size_t t = 0; t < T; t++) {
      double r = gsl_vector_get(paths[s]->lr, t);
      rate[t] = r > 0 ? r : NAN;
    }
    nn_plot_series(pr, schedule_names[s], ep, rate, T, "lines lw 2.5");
  }
  lesson_show_plot(L, px);
  lesson_save_plot(L, pr);
  nn_plot_free(px);
  nn_plot_free(pr);
  free(ep);
  for (int s = 0; s < 5; s++)
    nn_descent_path_free(paths[s]);

  lesson_try(L, "predict which schedule ends closest to x*, then run "
             "`make lecture5 ARGS='--schedule inverse --decay 1'` and with `--lr 0.3`.");

  /// **When each one fails.** Every schedule fixes one weakness and brings
  /// another. Four runs on the quadratic (x* = 0.5), each set up to show a
  /// failure next to the fixed rate.
  LESSON_PROSE(L);
  if (lesson_challenge(L, "Before reading the table: how can a decaying rate, a "
                       "slope-scaled rate and a loss-scaled rate each fail?"))
    lesson_printf(L, "- decay gives up too early: with a small η, the steps die out "
                  "before x arrives,\n  because the whole walk can only cover about "
                  "Σ_t η_t;\n"
                  "- the slope-scaled rate takes steps proportional to f'(x)², so far "
                  "from the\n  bottom it overshoots wildly, and near the bottom it "
                  "crawls;\n"
                  "- the loss-scaled rate only shrinks where the loss goes to 0: the "
                  "quadratic's\n  minimum value is 3.25, not 0, so the rate stays "
                  "3.25 times larger than η all\n  the way down, and a rate that is "
                  "fine as a fixed one makes it overshoot and run\n  away.\n");
  lesson_printf(L, "\n");
  static const struct {
    const char *what;
    double x0, eta;
    int epochs;
    nn_descent_schedule s;
  } cases[] = {
    {"small η, linear decay", 2.0, 0.002, 100, NN_DESCENT_LINEAR_DECAY},
    {"far start, slope-scaled", 8.0, 0.02, 100, NN_DESCENT_GRAD_SCALED},
    {"near the bottom, slope-scaled", 0.6, 0.02, 100, NN_DESCENT_GRAD_SCALED},
    {"η = 0.12, loss-scaled", 2.0, 0.12, 100, NN_DESCENT_LOSS_SCALED},
  };
  const landscape *q = &landscapes[FN_QUADRATIC];
  nn_descent_path *path = nn_descent_path_alloc(1, 100);
  lesson_printf(L, "  case                           x_0   η       |x_T - 0.5| "
                "fixed   |x_T - 0.5| scheduled\n");
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    nn_descent_options fixed = {.lr = cases[c].eta, .epochs = (size_t) cases[c].epochs};
    nn_descent_options dyn = fixed;
    dyn.schedule = cases[c].s;
    double a = descend(q, cases[c].x0, &fixed, path);
    double b = descend(q, cases[c].x0, &dyn, path);
    char gap_b[48];
    if (isnan(b))
      snprintf(gap_b, sizeof gap_b, "diverged at step %zu", path->steps + 1);
    else
      snprintf(gap_b, sizeof gap_b, "%.3g", fabs(b - 0.5));
    lesson_printf(L, "  %s %-5s %-7s %-19.3g %s\n", lesson_pad(L, cases[c].what, 30),
                  lesson_num(L, cases[c].x0), lesson_num(L, cases[c].eta),
                  fabs(a - 0.5), gap_b);
  }
  nn_descent_path_free(path);

  /// No schedule wins everywhere. In practice people keep a fixed or
  /// slowly decaying rate and let the *optimizer* adapt it per parameter
  /// from the history of the gradients (Adam and its family, lecture 9).
  LESSON_PROSE(L);
}

/// ## 6. Local minima, and what to do about them
///
/// On the wavy function the walk ends in the valley it starts in, and most
/// valleys are not the deepest. The simplest remedy is **random
/// restarts**: run the descent from several random starts and keep the
/// best end (`--restarts` of them, drawn uniformly from [-2, 2]):

/* Fraction of n x n random symmetric matrices (the Gaussian orthogonal
 * ensemble: off-diagonal entries N(0, 1), diagonal N(0, 2)) whose
 * eigenvalues are all positive, from m draws. */
static double
fraction_positive_definite(gsl_rng *rng, size_t n, size_t m)
{
  gsl_matrix *A = gsl_matrix_alloc(n, n);
  gsl_vector *eval = gsl_vector_alloc(n);
  gsl_eigen_symm_workspace *w = gsl_eigen_symm_alloc(n);
  size_t count = 0;
  for (size_t draw = 0; draw < m; draw++) {
    for (size_t i = 0; i < n; i++)
      for (size_t j = 0; j <= i; j++) {
        double v = gsl_ran_gaussian(rng, i == j ? M_SQRT2 : 1.0);
        gsl_matrix_set(A, i, j, v);
        gsl_matrix_set(A, j, i, v);
      }
    gsl_eigen_symm(A, eval, w);  /* destroys A; refilled next draw */
    count += gsl_vector_min(eval) > 0.0;
  }
  gsl_eigen_symm_free(w);
  gsl_vector_free(eval);
  gsl_matrix_free(A);
  return (double) count / (double) m;
}

static void
local_minima(lesson *L)
{
  LESSON_PROSE(L);
  const landscape *f = &landscapes[FN_WAVY];
  const size_t R = (size_t) restarts;
  nn_descent_options opt = {.lr = GSL_MIN(lr, 0.02), .epochs = (size_t) epochs};
  nn_descent_path *path = nn_descent_path_alloc(1, opt.epochs);
  double *x0 = malloc(3 * R * sizeof *x0);
  if (x0 == NULL)
    GSL_ERROR_VOID("local_minima: out of memory", GSL_ENOMEM);
  double *xT = x0 + R, *fT = x0 + 2 * R;
  size_t best = 0, global = 0;
  for (size_t r = 0; r < R; r++) {
    x0[r] = gsl_ran_flat(L->rng, -2.0, 2.0);
    xT[r] = descend(f, x0[r], &opt, path);
    fT[r] = isnan(xT[r]) ? NAN : nn_descent_wavy(xT[r], NULL);
    if (!isnan(fT[r]) && (isnan(fT[best]) || fT[r] < fT[best]))
      best = r;
    global += !isnan(xT[r]) && fabs(fabs(xT[r]) - f->minimum) < 1e-4;
  }
  nn_descent_path_free(path);
  lesson_printf(L, "f(x) = %s, η = %s (--lr, at most 0.02: these valleys are "
                "steep), %d epochs,\n%zu random starts\n", f->formula,
                lesson_num(L, opt.lr), epochs, R);
  lesson_printf(L, "  run   x_0         x_T          f(x_T)\n");
  for (size_t r = 0; r < R && r < 8; r++)
    lesson_printf(L, "  %-5zu %-11.5g %-12.6g %.6g\n", r + 1, x0[r], xT[r], fT[r]);
  if (R > 8)
    lesson_printf(L, "  ... (%zu more)\n", R - 8);
  lesson_printf(L, "best of the %zu: x = %.6g, f = %.6g (run %zu)\n", R, xT[best],
                fT[best], best + 1);
  lesson_printf(L, "%zu of the %zu runs found a global minimum x = ±%s, "
                "f = %s\n", global, R, lesson_num(L, f->minimum),
                lesson_num(L, nn_descent_wavy(f->minimum, NULL)));
  lesson_try(L, "how many of 5 random starts find a global minimum? Run "
             "`make lecture5 ARGS='--restarts 5'`, then with `--seed 2`.");

  nn_plot *p = lesson_plot(L, "restarts");
  char title[160];
  snprintf(title, sizeof title, "%zu random restarts on f(x) = cos(2πx) + x²: "
           "the best end wins", R);
  nn_plot_title(p, title);
  nn_plot_labels(p, "x", "f(x)");
  nn_plot_set(p, "xrange [-2.2:2.2]");
  plot_function(p, f, -2.2, 2.2);
  double *f0 = malloc(R * sizeof *f0);
  if (f0 == NULL)
    GSL_ERROR_VOID("local_minima: out of memory", GSL_ENOMEM);
  for (size_t r = 0; r < R; r++)
    f0[r] = nn_descent_wavy(x0[r], NULL);
  nn_plot_series(p, "random starts x₀", x0, f0, R, "points pt 6 ps 1.5 lw 1.5 "
                 "lc rgb '#555555'");
  nn_plot_series(p, "where each run ends", xT, fT, R, "points pt 7 ps 2 lc rgb '#d55e00'");
  nn_plot_series(p, "the best end", &xT[best], &fT[best], 1,
                 "points pt 9 ps 3.5 lc rgb '#009e73'");
  lesson_save_plot(L, p);
  nn_plot_free(p);
  free(f0);
  free(x0);

  /// **Why local minima matter less in high dimension.** A network has
  /// thousands or millions of parameters, and its cost is a landscape in
  /// that many dimensions. A flat point there (every partial derivative 0)
  /// is a minimum only if the landscape curves *up* in every direction at
  /// once: all the eigenvalues of its matrix of second derivatives (the
  /// Hessian) must be positive. In one dimension that is a coin toss; in n
  /// dimensions it is n coin tosses that must all land the same way, and
  /// worse, because the eigenvalues of a symmetric matrix push each other
  /// apart. A crude model, a random symmetric matrix for the curvature at a
  /// random flat point, shows how fast "all up" becomes rare:
  LESSON_PROSE(L);
  enum { M = 20000 };
  lesson_printf(L, "  n   fraction of %d random n x n symmetric matrices with all "
                "eigenvalues > 0\n", M);
  for (size_t n = 1; n <= 6; n++)
    lesson_printf(L, "  %zu   %.4f\n", n, fraction_positive_definite(L->rng, n, M));

  /// So in high dimension most flat points are **saddles**: up in some
  /// directions, down in others, and descent can leave them by the down
  /// directions (though it may linger on the way). The true local minima
  /// that remain have been found, in studies of large networks, to be
  /// mostly about as low as each other: getting stuck in a bad one is far
  /// rarer than our one-dimensional pictures suggest. Restarts, random
  /// initial weights and the noise of mini-batches (lecture 8) do the rest.
  LESSON_PROSE(L);
}

/// ## 7. The running problem, one weight at a time
///
/// Back to the problem of lectures 2 to 4: the twenty noisy "exclusive or"
/// points, the 2-2-1 sigmoid network set by hand (unit 1 computes OR, unit
/// 2 NAND, the output AND), and its cost J, the mean squared error over
/// the twenty points. J depends on nine parameters. Hold eight of them at
/// their hand-set values and J becomes a function of the ninth alone, a
/// curve like the ones above, and gradient descent can walk it. The slope
/// it needs is a partial derivative, ∂J/∂θ, which the chain rule gives
/// (see lectures/running.h; lecture 7 computes it by backpropagation):
/// for the output bias c, with δ_i = (2/N)(ŷ_i - y_i) ŷ_i (1 - ŷ_i),
///
///     ∂J/∂c = Σ_i δ_i
///
/// The weight walked is `--weight` (c by default), from `--weight-start`,
/// with the rate `--running-lr`; the data's spread is `--running-sd` and
/// the hand-set weights are ±k, k/2, 3k/2 with k = `--scale`.

/* J along one parameter of the running problem: the network with every
 * other parameter fixed, as a gsl_function_fdf of that parameter. */
typedef struct along_weight {
  running_net net;       /* the other parameters' values */
  const nn_data *data;   /* the running problem's points */
  size_t index;          /* which parameter moves (running_param order) */
} along_weight;

static double
along_cost(double theta, void *params)
{
  const along_weight *a = params;
  running_net net = a->net;
  *running_param(&net, a->index) = theta;
  return running_cost(&net, a->data);
}

static double
along_slope(double theta, void *params)
{
  const along_weight *a = params;
  running_net net = a->net, grad;
  *running_param(&net, a->index) = theta;
  running_cost_grad(&net, a->data, &grad);
  return *running_param(&grad, a->index);
}

static void
along_both(double theta, void *params, double *f, double *df)
{
  *f = along_cost(theta, params);
  *df = along_slope(theta, params);
}

static void
running_one_weight(lesson *L)
{
  LESSON_PROSE(L);
  nn_data *data = running_data(running_sd, RUNNING_SEED);
  along_weight a = {.data = data, .index = (size_t) weight};
  running_hand_set(&a.net, scale);
  const char *name = running_param_name(a.index);
  const double hand = *running_param(&a.net, a.index);
  gsl_function_fdf fn = {along_cost, along_slope, along_both, &a};
  lesson_printf(L, "%zu points, spread %s; hand-set weights with k = %s: J = %s, "
                "accuracy %s\n", data->X->size1, lesson_num(L, running_sd),
                lesson_num(L, scale), lesson_num(L, running_cost(&a.net, data)),
                lesson_num(L, running_accuracy(&a.net, data)));
  lesson_printf(L, "the walk moves %s (hand-set %s) from %s = %s, η = %s, T = %d\n",
                name, lesson_num(L, hand), name, lesson_num(L, weight_start),
                lesson_num(L, running_lr), epochs);

  /* The first slope, by the chain rule and by a central difference. */
  gsl_function J = {along_cost, &a};
  double d0 = along_slope(weight_start, &a), numeric;
  nn_deriv_central(&J, weight_start, 1e-5, &numeric);
  lesson_printf(L, "∂J/∂%s at the start: chain rule %s, central difference %s "
                "(relative error %.1e)\n", name, lesson_num(L, d0),
                lesson_num(L, numeric),
                fabs(d0 - numeric) / GSL_MAX(1e-300, fabs(d0) + fabs(numeric)));

  nn_descent_options opt = {.lr = running_lr, .epochs = (size_t) epochs};
  nn_descent_path *path = nn_descent_path_alloc(1, opt.epochs);
  double end = descend_fn(&fn, weight_start, &opt, path);
  const size_t T = path->steps;
  lesson_printf(L, "\n  epoch  %s                  J                    ∂J/∂%s   "
                "            η_t        step\n", lesson_pad(L, name, 3),
                lesson_pad(L, name, 3));
  for (size_t t = 0; t <= T; t++) {
    if (t == 4 && T > 8) {
      lesson_printf(L, "  ...\n");
      t = T - 2;
    }
    path_row(L, path, t);
  }
  if (isnan(end)) {
    lesson_printf(L, "\nthe walk diverged at step %zu: try a smaller --running-lr.\n",
                  T + 1);
  } else {
    running_net net = a.net;
    *running_param(&net, a.index) = end;
    lesson_printf(L, "\nafter %d epochs: %s = %s, J = %s (from %s), accuracy %s\n",
                  epochs, name, lesson_num(L, end), lesson_num(L, running_cost(&net, data)),
                  lesson_num(L, gsl_vector_get(path->f, 0)),
                  lesson_num(L, running_accuracy(&net, data)));
  }

  /// The walk on the curve J(θ) (figure `running-one-weight`, below). Far
  /// from the bottom the curve of a sigmoid network is almost flat: the
  /// output is saturated, ŷ(1 - ŷ) is tiny, and so is every step. That is
  /// why the rate here is a thousand times larger than on 3x² - 3x + 4,
  /// and a first sight of the vanishing gradients of lecture 6.
  LESSON_PROSE(L);
  double lo = GSL_MIN(hand, weight_start), hi = GSL_MAX(hand, weight_start);
  for (size_t t = 0; t <= T; t++) {
    double x = gsl_matrix_get(path->x, t, 0);
    if (isfinite(x)) {
      lo = GSL_MIN(lo, x);
      hi = GSL_MAX(hi, x);
    }
  }
  const double margin = GSL_MAX(1.0, 0.15 * (hi - lo));
  lo -= margin;
  hi += margin;
  nn_plot *p = lesson_plot(L, "running-one-weight");
  char title[200], legend[96];
  snprintf(title, sizeof title, "Descent on the running problem's cost J(%s), "
           "the rest hand-set (k = %s)", name, lesson_num(L, scale));
  nn_plot_title(p, title);
  snprintf(legend, sizeof legend, "J(%s)", name);
  nn_plot_labels(p, name, legend);
  nn_plot_set(p, "xrange [%.17g:%.17g]", lo, hi);
  plot_curve(p, &fn, lo, hi, legend);
  gsl_vector_view xs = gsl_matrix_column(path->x, 0);
  gsl_vector_view xt = gsl_vector_subvector(&xs.vector, 0, T + 1);
  gsl_vector_view ft = gsl_vector_subvector(path->f, 0, T + 1);
  nn_plot_series_vector(p, "the walk, one point per epoch", &xt.vector, &ft.vector,
                        "linespoints lw 1 pt 7 ps 0.8 lc rgb '#d55e00'");
  double hj = running_cost(&a.net, data);
  snprintf(legend, sizeof legend, "hand-set %s = %s", name, lesson_num(L, hand));
  nn_plot_series(p, legend, &hand, &hj, 1, "points pt 9 ps 3 lc rgb '#009e73'");
  lesson_show_plot(L, p);
  nn_plot_free(p);
  nn_descent_path_free(path);
  nn_data_free(data);
  lesson_try(L, "predict what a start far out on the flat part does, then run "
             "`make lecture5 ARGS='--weight-start 5'`; then walk another weight: "
             "`--weight v1 --weight-start 0`.");
}

/// ## What to remember
///
/// - Gradient descent: guess x_0, then x ← x - η f'(x), T times. The step
///   follows the slope, so it shrinks by itself near a minimum.
/// - A zero derivative means flat, not bottom: started exactly at a
///   maximum, the walk never moves. Random starts avoid it.
/// - The learning rate decides everything: too small never arrives, too
///   large zigzags or runs away (on 3x² - 3x + 4: 0 < η < 1/3 converges).
/// - Where the walk ends depends on where it starts: each valley has its
///   basin of attraction. Parametric experiments show the rule, not one
///   story.
/// - Dynamic rates (decay, scaled by the slope or the loss) each fix one
///   problem and bring another.
/// - Local minima: restart from random starts; in high dimension most flat
///   points are saddles, and bad minima are rarer than they look in 1D.
///
/// Next, lecture 6: the same walk in two dimensions, with the gradient.

static void
closing(lesson *L)
{
  LESSON_PROSE(L);
  lesson_questions(L,
                   "On f(x) = 3x² - 3x + 4, which learning rate reaches x* = 0.5 in "
                   "one step, and why that one?",
                   "Gradient descent started exactly on a local maximum: where does "
                   "it go, and how do random starts help?",
                   "Walking the output bias c of the running problem, why are the "
                   "steps tiny where the cost curve is flat?");
}
