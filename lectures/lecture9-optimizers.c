/* SPDX-License-Identifier: GPL-3.0-or-later */
/// # Lecture 9: Optimizers
///
/// Lecture 8 trained networks with the plainest rule there is, stochastic
/// gradient descent: θ ← θ - η g, every parameter moved against its own
/// partial derivative g, all by the same learning rate η. It works, but it
/// is slow in narrow valleys, stops in the first pit it meets, and needs a
/// learning rate chosen by hand for every problem. The optimizers of this
/// lecture change the step, not the gradient:
///
/// - **momentum** and **Nesterov** remember the steps before, like a ball
///   that keeps rolling;
/// - **Adagrad**, **RMSProp**, **Adadelta** and **Adam** give every
///   parameter its own step size, from the sizes of its past gradients:
///   *adaptive learning rates*;
/// - **schedules** lower the learning rate as training goes on;
/// - **clipping** caps the step when a gradient explodes.
///
/// We run all seven on the same surfaces, a narrow valley and the peaks of
/// lecture 6, drawing one path each, and on the same small network. The
/// library's optimizers (nn/optim.h) follow PyTorch's torch.optim rule
/// for rule, so what you see here is what `torch.optim.Adam` does. The
/// network's data and weights are drawn from the seed (`--seed`).

/* lecture9-optimizers.c: lecture 9 as a literate program. The `///` lines
 * are the lesson's prose (see lesson.h); main() is the outline and the
 * sections follow in the order the lecture tells them. */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_rng.h>
#include <nn/nn.h>

#include "lesson.h"
#include "lectures/lecture9-optimizers.prose.h"

/* ===== Knobs ===== */

static int steps = 600;            /* --steps: steps of every path on a surface */
static double lr_scale = 1.0;      /* --lr-scale: every learning rate times this */
static double start_x = -1.2;      /* --start-x, --start-y: where the paths in */
static double start_y = 1.0;       /*   the valley start (the classic start) */
static double peaks_x = 0.3;       /* --peaks-x, --peaks-y: where the paths on */
static double peaks_y = 0.9;       /*   peaks start */
static int epochs = 40;            /* --epochs: passes over the network's data */
static int batch = 20;             /* --batch: samples per mini-batch */
static int hidden = 8;             /* --hidden: units of the network's hidden layer */
static int repeats = 3;            /* --repeats: networks trained per optimizer */
static double clip = 1.0;          /* --clip: the largest gradient norm in section 8 */
static double clip_lr = 0.01;      /* --clip-lr: the rate of section 8's runs */

static const lesson_option options[] = {
  {"steps", LESSON_INT, &steps, "steps of every path on the two surfaces",
   .min = 1, .max = 100000},
  {"lr-scale", LESSON_DOUBLE, &lr_scale,
   "multiply every optimizer's learning rate on the surfaces and the network by this",
   .min = 1e-3, .max = 100},
  {"start-x", LESSON_DOUBLE, &start_x, "x where the paths in the valley start",
   .min = -2, .max = 2},
  {"start-y", LESSON_DOUBLE, &start_y, "y where the paths in the valley start",
   .min = -1, .max = 3},
  {"peaks-x", LESSON_DOUBLE, &peaks_x, "x where the paths on peaks start",
   .min = -3, .max = 3},
  {"peaks-y", LESSON_DOUBLE, &peaks_y, "y where the paths on peaks start",
   .min = -3, .max = 3},
  {"epochs", LESSON_INT, &epochs, "passes over the network's data", .min = 1,
   .max = 10000},
  {"batch", LESSON_INT, &batch, "samples per mini-batch of the network", .min = 1,
   .max = 100},
  {"hidden", LESSON_INT, &hidden, "units in the network's hidden layer", .min = 1,
   .max = 256},
  {"repeats", LESSON_INT, &repeats,
   "networks trained per optimizer, each from other random weights", .min = 1,
   .max = 1000},
  {"clip", LESSON_DOUBLE, &clip, "the largest gradient norm clipping lets through",
   .min = 1e-3, .max = 1e6},
  {"clip-lr", LESSON_DOUBLE, &clip_lr, "the learning rate of the clipping runs",
   .min = 1e-6, .max = 1},
  {0}
};

/* The seven optimizers, in the order of nn_optim_kind, and how they are
 * drawn: the Okabe-Ito colours, which stay apart for colour-blind eyes. */
#define N_OPTIM NN_OPTIM_N_KINDS
static const char *const colours[N_OPTIM] = {
  "#000000", "#e69f00", "#56b4e9", "#009e73", "#cc79a7", "#0072b2", "#d55e00"};

/* The letters that mark where each path ends on a map. */
static const char letters[N_OPTIM + 1] = "SMNGRDA";

/* The names the lesson prints: nn_optim_name() is the word of the command
 * line; these are the names people write. */
static const char *const pretty[N_OPTIM] = {
  "SGD", "Momentum", "Nesterov", "Adagrad", "RMSProp", "Adadelta", "Adam"};

/* Learning rates, one per optimizer (before --lr-scale). Adaptive optimizers
 * step about η per coordinate whatever the gradient's size, plain ones η
 * times the gradient: one rate for all would be fair to none. Picked by
 * hand, per problem, from runs at 1e-4, 3e-4, ..., 3, 10: a rate that shows
 * what the optimizer does there; SGD, momentum and Nesterov share one below
 * the limit where SGD would explode. Adadelta keeps PyTorch's 1.0. */
static const double valley_rates[N_OPTIM] = {1e-3, 1e-3, 1e-3, 0.3, 0.01, 1.0, 0.1};
static const double peaks_rates[N_OPTIM] = {0.02, 0.02, 0.02, 0.1, 0.01, 1.0, 0.05};
static const double net_rates[N_OPTIM] = {0.3, 0.1, 0.1, 0.1, 0.01, 1.0, 0.03};

/* A surface z = f(x, y) and its gradient, worked out by hand. */
typedef struct surface {
  double (*f)(double x, double y);
  void (*grad)(double x, double y, double g[2]);
} surface;

static void update_rules(lesson *L);
static void first_steps(lesson *L);
static void convex_bowl(lesson *L);
static void narrow_valley(lesson *L);
static void peaks_paths(lesson *L);
static void small_network(lesson *L);
static void schedules(lesson *L);
static void clipping(lesson *L);
static void closing(lesson *L);

int
main(int argc, char **argv)
{
  lesson *L = lesson_begin(argc, argv, &(lesson_info){
      .number = 9, .title = "Optimizers",
      .options = options, .prose = &lecture_prose});
  if (start_x == 1.0 && start_y == 1.0)
    lesson_usage_error(L, "--start-x 1 --start-y 1 is the bottom of the valley: "
                       "start anywhere else");
  LESSON_PROSE(L);

  update_rules(L);
  first_steps(L);
  convex_bowl(L);
  narrow_valley(L);
  peaks_paths(L);
  small_network(L);
  schedules(L);
  clipping(L);
  closing(L);
  return lesson_finish(L);
}

/* ===== Helpers: runs on a surface ===== */

/* One optimizer's path over a surface: the point and the height after
 * every step, row 0 the start. */
typedef struct path {
  double *x, *y, *z;  /* steps + 1 entries each (one block holds the three) */
  size_t n;           /* points filled: steps + 1, or fewer if it diverged */
} path;

static void
path_alloc(path *p, size_t points)
{
  p->x = malloc(3 * points * sizeof *p->x);
  if (p->x == NULL)
    GSL_ERROR_VOID("path_alloc: out of memory", GSL_ENOMEM);
  p->y = p->x + points;
  p->z = p->y + points;
  p->n = 0;
}

static void
path_free(path *p)
{
  free(p->x);
}

/* Run optimizer KIND with rate LR from (x0, y0) for STEPS steps on S into P
 * (steps + 1 points), clipping the gradient to norm MAX_NORM first when it
 * is positive. The run stops early, and P is shorter, when the point or
 * the height stops being a finite number (the step exploded). */
static void
run_on(const surface *s, nn_optim_kind kind, double lr, double x0, double y0,
       size_t n_steps, double max_norm, path *p)
{
  nn_optim_options o = nn_optim_defaults(kind);
  o.lr = lr;
  nn_optim *opt = nn_optim_alloc(kind, 2, &o);
  double theta[2] = {x0, y0}, g[2];
  gsl_vector_view tv = gsl_vector_view_array(theta, 2), gv = gsl_vector_view_array(g, 2);
  p->n = 0;
  for (size_t t = 0; t <= n_steps; t++) {
    double z = s->f(theta[0], theta[1]);
    if (!isfinite(theta[0]) || !isfinite(theta[1]) || !isfinite(z))
      break;
    p->x[t] = theta[0];
    p->y[t] = theta[1];
    p->z[t] = z;
    p->n = t + 1;
    if (t == n_steps)
      break;
    s->grad(theta[0], theta[1], g);
    if (max_norm > 0)
      nn_optim_clip_grad_norm(&gv.vector, max_norm, NULL);
    nn_optim_step(opt, &tv.vector, &gv.vector);
  }
  nn_optim_free(opt);
}

/* A heat map of log₁₀(1 + f) for f >= 0, or f itself, seen from above, over
 * [x0, x1] x [y0, y1], with contour lines; the caller adds the paths (3D
 * curves, z the value mapped) and shows it. Blocks 0 and 1 of the .dat file
 * are the grid, so the paths start at block 2. */
static nn_plot *
surface_map(lesson *L, const surface *s, int logscale, const double range[4],
            const char *name, const char *title, const char *levels)
{
  enum { G = 81 };
  gsl_vector *gx = gsl_vector_alloc(G), *gy = gsl_vector_alloc(G);
  gsl_matrix *gz = gsl_matrix_alloc(G, G);
  for (size_t i = 0; i < G; i++) {
    gsl_vector_set(gx, i, range[0] + (range[1] - range[0]) * (double) i / (G - 1));
    gsl_vector_set(gy, i, range[2] + (range[3] - range[2]) * (double) i / (G - 1));
  }
  for (size_t i = 0; i < G; i++)
    for (size_t j = 0; j < G; j++) {
      double f = s->f(gsl_vector_get(gx, j), gsl_vector_get(gy, i));
      gsl_matrix_set(gz, i, j, logscale ? log10(1 + f) : f);
    }
  nn_plot *p = lesson_plot(L, name);
  nn_plot_3d(p);
  nn_plot_title(p, title);
  nn_plot_labels(p, "x", "y");
  nn_plot_set(p, "view map");
  nn_plot_set(p, "contour base");
  nn_plot_set(p, "cntrparam levels %s", levels);
  nn_plot_set(p, "cntrlabel onecolor");
  nn_plot_set(p, "palette defined (0 '#f7fbff', 1 '#c6dbef', 2 '#6baed6')");
  nn_plot_set(p, "cblabel '%s'", logscale ? "log10(1 + f(x, y))" : "z = f(x, y)");
  nn_plot_set(p, "xrange [%g:%g]", range[0], range[1]);
  nn_plot_set(p, "yrange [%g:%g]", range[2], range[3]);
  nn_plot_set(p, "key outside left top Left reverse samplen 2 spacing 1.3");
  nn_plot_grid(p, NULL, gx, gy, gz, "image nocontours");
  nn_plot_grid(p, NULL, gx, gy, gz, "lines lc rgb '#7f7f7f' lw 1 nosurface");
  gsl_vector_free(gx);
  gsl_vector_free(gy);
  gsl_matrix_free(gz);
  return p;
}

/* Draw path P into the map, its height mapped as the map maps f, with
 * line width WIDTH (the paths drawn first are the widest, so that a path
 * drawn over another leaves it showing), and its end as LETTER: on the text
 * terminal, where curves share a few characters, the letters tell the ends
 * apart. */
static void
map_path(nn_plot *p, const char *legend, const path *pa, int logscale,
         const char *colour, double width, char letter)
{
  double *z = malloc(pa->n * sizeof *z);
  if (z == NULL)
    GSL_ERROR_VOID("map_path: out of memory", GSL_ENOMEM);
  for (size_t t = 0; t < pa->n; t++)
    z[t] = logscale ? log10(1 + pa->z[t]) : pa->z[t];
  char style[128];
  snprintf(style, sizeof style, "lines lw %g lc rgb '%s' nocontours", width, colour);
  nn_plot_series3d(p, legend, pa->x, pa->y, z, pa->n, style);
  const size_t T = pa->n - 1;
  snprintf(style, sizeof style, "points pt '%c' ps 1.5 lc rgb '%s' nocontours", letter,
           colour);
  nn_plot_series3d(p, NULL, &pa->x[T], &pa->y[T], &z[T], 1, style);
  free(z);
}

/// ## 1. Seven update rules, side by side
///
/// Each rule starts from the gradient g of the cost at the parameters θ,
/// and takes one step. Squares, roots and quotients are taken entry by
/// entry, so every parameter gets its own; t counts the steps from 1:
///
///     SGD        θ ← θ - η g
///     Momentum   b ← μ b + g                               θ ← θ - η b
///     Nesterov   b ← μ b + g                               θ ← θ - η (g + μ b)
///     Adagrad    s ← s + g²                                θ ← θ - η g / (√s + ε)
///     RMSProp    v ← α v + (1 - α) g²                      θ ← θ - η g / (√v + ε)
///     Adadelta   v ← ρ v + (1 - ρ) g²
///                Δ = √(u + ε) / √(v + ε) · g,  u ← ρ u + (1 - ρ) Δ²      θ ← θ - η Δ
///     Adam       m ← β₁ m + (1 - β₁) g,   v ← β₂ v + (1 - β₂) g²
///                m̂ = m / (1 - β₁ᵗ),  v̂ = v / (1 - β₂ᵗ)               θ ← θ - η m̂ / (√v̂ + ε)
///
/// - **Momentum** keeps a running sum of the gradients, each older one
///   weighted by one more factor μ: on a steady slope the steps grow to
///   η g / (1 - μ), ten times SGD's for μ = 0.9; where the gradient
///   changes sign from step to step (across a valley) the terms cancel.
/// - **Nesterov** steps with the gradient plus μ times the new velocity,
///   as if it had looked one step ahead: it brakes earlier.
/// - **Adagrad** divides by the root of the sum of all squared gradients
///   so far: parameters that had large gradients take small steps, rare
///   ones large steps. The sum only grows, so its steps only shrink.
/// - **RMSProp** divides by the root of a *moving average* of the
///   squared gradients instead (α = 0.99 keeps about the last 100), so
///   the step size can recover.
/// - **Adadelta** also replaces η by a moving average of the past steps
///   themselves, √(u + ε): the step has the units of θ, and η = 1 works.
/// - **Adam** is momentum (m, the mean of the gradients) and RMSProp (v,
///   the mean of their squares) together. Both averages start at 0, so
///   they are too small in the first steps; dividing by 1 - βᵗ corrects
///   that **bias**, and matters only early (1 - 0.999ᵗ is 0.001 at t = 1,
///   0.63 at t = 1000).
///
/// Every optimizer also accepts a weight decay λ, which adds λθ to g
/// before the step (lecture 10). The defaults, PyTorch's (SGD's rate and
/// the momentum 0.9 are the course's: PyTorch has no default rate for SGD,
/// and its momentum is 0, which is plain SGD):

static void
update_rules(lesson *L)
{
  LESSON_PROSE(L);
  lesson_printf(L, "  %s %s other hyper-parameters\n", lesson_pad(L, "optimizer", 11),
                lesson_pad(L, "η", 8));
  for (int k = 0; k < N_OPTIM; k++) {
    nn_optim_options o = nn_optim_defaults((nn_optim_kind) k);
    char other[160] = "";
    switch ((nn_optim_kind) k) {
    case NN_OPTIM_MOMENTUM:
    case NN_OPTIM_NESTEROV:
      snprintf(other, sizeof other, "μ = %s", lesson_num(L, o.momentum));
      break;
    case NN_OPTIM_ADAGRAD:
      snprintf(other, sizeof other, "ε = %s, s starts at %s", lesson_num(L, o.eps),
               lesson_num(L, o.initial_accumulator));
      break;
    case NN_OPTIM_RMSPROP:
      snprintf(other, sizeof other, "α = %s, ε = %s", lesson_num(L, o.alpha),
               lesson_num(L, o.eps));
      break;
    case NN_OPTIM_ADADELTA:
      snprintf(other, sizeof other, "ρ = %s, ε = %s", lesson_num(L, o.rho),
               lesson_num(L, o.eps));
      break;
    case NN_OPTIM_ADAM:
      snprintf(other, sizeof other, "β₁ = %s, β₂ = %s, ε = %s", lesson_num(L, o.beta1),
               lesson_num(L, o.beta2), lesson_num(L, o.eps));
      break;
    default:
      snprintf(other, sizeof other, "-");
      break;
    }
    lesson_printf(L, "  %s %s %s\n", lesson_pad(L, pretty[k], 11),
                  lesson_pad(L, lesson_num(L, o.lr), 8), other);
  }
}

/* The graph of Adam's first step for one parameter with gradient G, from
 * θ = 0 with the default hyper-parameters: each node a quantity of the rule
 * with its value, in the order they are computed. The values are printed
 * too, so that the lesson holds them without the picture. */
static void
adam_step_graph(lesson *L, double g)
{
  const nn_optim_options o = nn_optim_defaults(NN_OPTIM_ADAM);
  const double m = (1 - o.beta1) * g, v = (1 - o.beta2) * g * g;
  const double mhat = m / (1 - o.beta1), vhat = v / (1 - o.beta2);
  const double step = -o.lr * mhat / (sqrt(vhat) + o.eps);
  lesson_printf(L, "  g = %s   m = %s   v = %s\n", lesson_num(L, g), lesson_num(L, m),
                lesson_num(L, v));
  lesson_printf(L, "  m̂ = m / (1 - β₁) = %s   v̂ = v / (1 - β₂) = %s\n",
                lesson_num(L, mhat), lesson_num(L, vhat));
  lesson_printf(L, "  θ₁ = θ₀ - η m̂ / (√v̂ + ε) = %s\n", lesson_num(L, step));

  nn_graph *gr = lesson_graph(L, "adam-step");
  nn_graph_attr(gr, "label", "Adam's first step for one parameter (t = 1, θ₀ = 0, "
                "defaults): the averages start at 0, the bias correction scales "
                "them back");
  nn_graph_style input = {.shape = "box", .fillcolor = "#fff3cd", .has_rank = 1};
  nn_graph_style state = {.shape = "box", .fillcolor = "#dbe9f6", .has_rank = 1,
                          .rank = 1};
  nn_graph_style fixed = {.shape = "box", .fillcolor = "#e5f5e0", .has_rank = 1,
                          .rank = 2};
  nn_graph_style out = {.shape = "box", .fillcolor = "#f2f2f2", .has_rank = 1,
                        .rank = 3};
  char label[160];
  snprintf(label, sizeof label, "gradient g = %s", lesson_num(L, g));
  nn_graph_node(gr, "g", label, &input);
  snprintf(label, sizeof label, "m = β₁·0 + (1 - β₁) g\n= %s", lesson_num(L, m));
  nn_graph_node(gr, "m", label, &state);
  snprintf(label, sizeof label, "v = β₂·0 + (1 - β₂) g²\n= %s", lesson_num(L, v));
  nn_graph_node(gr, "v", label, &state);
  snprintf(label, sizeof label, "m̂ = m / (1 - β₁¹)\n= %s", lesson_num(L, mhat));
  nn_graph_node(gr, "mhat", label, &fixed);
  snprintf(label, sizeof label, "v̂ = v / (1 - β₂¹)\n= %s", lesson_num(L, vhat));
  nn_graph_node(gr, "vhat", label, &fixed);
  snprintf(label, sizeof label, "θ₁ = θ₀ - η m̂ / (√v̂ + ε)\n= %s  (≈ -η sign g)",
           lesson_num(L, step));
  nn_graph_node(gr, "theta", label, &out);
  nn_graph_style edge = {.color = "#0072b2", .fontcolor = "#0072b2", .penwidth = 1.5};
  snprintf(label, sizeof label, "β₁ = %s", lesson_num(L, o.beta1));
  nn_graph_edge(gr, "g", "m", label, &edge);
  snprintf(label, sizeof label, "β₂ = %s", lesson_num(L, o.beta2));
  nn_graph_edge(gr, "g", "v", label, &edge);
  snprintf(label, sizeof label, "÷ %s", lesson_num(L, 1 - o.beta1));
  nn_graph_edge(gr, "m", "mhat", label, &edge);
  snprintf(label, sizeof label, "÷ %s", lesson_num(L, 1 - o.beta2));
  nn_graph_edge(gr, "v", "vhat", label, &edge);
  snprintf(label, sizeof label, "η = %s", lesson_num(L, o.lr));
  nn_graph_edge(gr, "mhat", "theta", label, &edge);
  snprintf(label, sizeof label, "ε = %s", lesson_num(L, o.eps));
  nn_graph_edge(gr, "vhat", "theta", label, &edge);
  lesson_show_graph(L, gr);
  nn_graph_free(gr);
}

/// ## 2. Adaptive learning rates: the first step
///
/// The difference shows from the very first step. Start at θ = 0 with a
/// gradient whose three entries differ in size by four orders of
/// magnitude, g = (2.385, -0.03, 0.0004), and take one step of each
/// optimizer with its default rate. The table gives the step θ₁ - θ₀,
/// then the same divided by η:

static void
first_steps(lesson *L)
{
  LESSON_PROSE(L);
  double g[3] = {2.385, -0.03, 0.0004};
  gsl_vector_view gv = gsl_vector_view_array(g, 3);
  lesson_printf(L, "  %s %s step / η\n", lesson_pad(L, "optimizer", 11),
                lesson_pad(L, "step θ₁ - θ₀", 40));
  for (int k = 0; k < N_OPTIM; k++) {
    nn_optim *opt = nn_optim_alloc((nn_optim_kind) k, 3, NULL);
    double theta[3] = {0, 0, 0};
    gsl_vector_view tv = gsl_vector_view_array(theta, 3);
    nn_optim_step(opt, &tv.vector, &gv.vector);
    char step[120];
    snprintf(step, sizeof step, "(%s, %s, %s)", lesson_num(L, theta[0]),
             lesson_num(L, theta[1]), lesson_num(L, theta[2]));
    const double lr = opt->opt.lr;
    lesson_printf(L, "  %s %s (%s, %s, %s)\n", lesson_pad(L, pretty[k], 11),
                  lesson_pad(L, step, 40), lesson_num(L, theta[0] / lr),
                  lesson_num(L, theta[1] / lr), lesson_num(L, theta[2] / lr));
    nn_optim_free(opt);
  }

  /// SGD, momentum and Nesterov step in proportion to g: the third entry
  /// hardly moves. (Momentum's first step is SGD's, since b starts as g;
  /// Nesterov's is (1 + μ) times it.) Adagrad and Adam step by almost
  /// exactly η for *every* entry, whatever its size: after one step s = g²
  /// and, for Adam, m̂ = g and v̂ = g², so both step
  ///
  ///     η g / (|g| + ε) = η sign(g) · |g| / (|g| + ε)
  ///
  /// which is η sign(g) up to ε: the third entry, 0.0004, falls short of η
  /// by a relative 1e-8 / 0.0004 = 2.5e-5. RMSProp's first step is
  /// 1/√(1 - α) = 10 times larger, because its average v = (1 - α) g² is
  /// not bias-corrected: one reason to warm up slowly. Adadelta's steps
  /// start at about √ε / √(1 - ρ), tiny, and grow as u fills up.
  ///
  /// This is what *adaptive* means: the step no longer scales with the
  /// gradient, so a parameter with small gradients (a rare feature, a
  /// flat direction) moves as fast as one with large gradients.
  ///
  /// Adam's first step for the first entry, g = 2.385, worked through
  /// (graph `adam-step`): the averages m and v start at 0, so after one
  /// step they hold only 1 - β₁ = 10% of g and 1 - β₂ = 0.1% of g²; the
  /// bias correction divides exactly that back out.
  LESSON_PROSE(L);
  adam_step_graph(L, g[0]);
}

/* ===== Surfaces ===== */

/* f(x, y) = (x² + 10 y²) / 2: a bowl ten times steeper across than along. */
static double
bowl(double x, double y)
{
  return (x * x + 10 * y * y) / 2;
}

static void
bowl_grad(double x, double y, double g[2])
{
  g[0] = x;
  g[1] = 10 * y;
}

static const surface bowl_surface = {bowl, bowl_grad};

/// ## 3. Every optimizer goes downhill on a bowl
///
/// A convex quadratic, f(x, y) = (x² + 10 y²) / 2, is the simplest cost
/// there is: one minimum, at (0, 0), and no other flat point. Each
/// optimizer, with its default rate, takes 200 steps from (2.385, -1.5);
/// the last column counts the steps after which f was higher than before:

static void
convex_bowl(lesson *L)
{
  LESSON_PROSE(L);
  const double x0 = 2.385, y0 = -1.5;
  path pa;
  path_alloc(&pa, 201);
  lesson_printf(L, "  %s %s %s %s %s steps up\n", lesson_pad(L, "optimizer", 11),
                lesson_pad(L, "η", 8), lesson_pad(L, "f at the start", 16),
                lesson_pad(L, "f after 200 steps", 19), lesson_pad(L, "at (x, y)", 28));
  for (int k = 0; k < N_OPTIM; k++) {
    const double lr = nn_optim_defaults((nn_optim_kind) k).lr;
    run_on(&bowl_surface, (nn_optim_kind) k, lr, x0, y0, 200, 0, &pa);
    size_t up = 0;
    for (size_t t = 1; t < pa.n; t++)
      up += pa.z[t] > pa.z[t - 1];
    char at[80];
    const size_t T = pa.n - 1;
    snprintf(at, sizeof at, "(%s, %s)", lesson_num(L, pa.x[T]), lesson_num(L, pa.y[T]));
    lesson_printf(L, "  %s %s %s %s %s %zu\n", lesson_pad(L, pretty[k], 11),
                  lesson_pad(L, lesson_num(L, lr), 8),
                  lesson_pad(L, lesson_num(L, pa.z[0]), 16),
                  lesson_pad(L, lesson_num(L, pa.z[T]), 19), lesson_pad(L, at, 28), up);
  }
  path_free(&pa);

  /// All seven end lower than they started: on a convex surface with a
  /// small enough rate, every one of these rules goes downhill. Not every
  /// *step* does. Momentum and Nesterov overshoot the bottom of the steep
  /// direction and swing back, so f rises now and then; plain SGD, with a rate
  /// below 2 / 10 (the steepest curvature), never does. Adam with its
  /// default η = 0.001 has moved only about 200 η = 0.2 in each
  /// coordinate: its step is η whatever the slope, so on a problem whose
  /// scale is 1, it needs a larger η or many more steps.
  LESSON_PROSE(L);
}

/* Rosenbrock's function, a = 1, b = 100: a curved valley along y = x², its
 * floor falling gently to the minimum 0 at (1, 1), its walls steep. */
static double
rosenbrock(double x, double y)
{
  return (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
}

/* ∂f/∂x = -2(1 - x) - 400 x (y - x²),  ∂f/∂y = 200 (y - x²). */
static void
rosenbrock_grad(double x, double y, double g[2])
{
  g[0] = -2 * (1 - x) - 400 * x * (y - x * x);
  g[1] = 200 * (y - x * x);
}

/* Rosenbrock at the point v, for the gradient check. */
static double
rosenbrock_v(const gsl_vector *v, void *params)
{
  (void) params;
  return rosenbrock(gsl_vector_get(v, 0), gsl_vector_get(v, 1));
}

static const surface valley = {rosenbrock, rosenbrock_grad};

/* The paths of the seven optimizers on S with RATES (times --lr-scale) from
 * (x0, y0), drawn on the map MAP; PATHS gets them (each allocated for
 * --steps + 1 points; the caller frees them). Prints the table of ends. */
static void
seven_paths(lesson *L, const surface *s, const double rates[N_OPTIM], double x0,
            double y0, nn_plot *map, int logscale, path paths[N_OPTIM])
{
  lesson_printf(L, "  %s %s %s %s\n", lesson_pad(L, "optimizer", 11),
                lesson_pad(L, "η", 8), lesson_pad(L, "ends at (x, y)", 30),
                "height at the end");
  for (int k = 0; k < N_OPTIM; k++) {
    path_alloc(&paths[k], (size_t) steps + 1);
    const double lr = rates[k] * lr_scale;
    run_on(s, (nn_optim_kind) k, lr, x0, y0, (size_t) steps, 0, &paths[k]);
    const path *pa = &paths[k];
    const size_t T = pa->n - 1;
    char at[80], legend[80];
    if (pa->n == (size_t) steps + 1)
      snprintf(at, sizeof at, "(%s, %s)", lesson_num(L, pa->x[T]), lesson_num(L, pa->y[T]));
    else
      snprintf(at, sizeof at, "diverged at step %zu", pa->n);
    lesson_printf(L, "  %s %s %s %s\n", lesson_pad(L, pretty[k], 11),
                  lesson_pad(L, lesson_num(L, lr), 8), lesson_pad(L, at, 30),
                  pa->n == (size_t) steps + 1 ? lesson_num(L, pa->z[T]) : "-");
    snprintf(legend, sizeof legend, "%c %s, η = %s", letters[k], pretty[k],
             lesson_num(L, lr));
    map_path(map, legend, pa, logscale, colours[k], 1.5 + 0.75 * (N_OPTIM - 1 - k),
             letters[k]);
  }
  double z0 = logscale ? log10(1 + s->f(x0, y0)) : s->f(x0, y0);
  nn_plot_series3d(map, "start", &x0, &y0, &z0, 1,
                   "points pt 7 ps 1.8 lc rgb '#000000' nocontours");
}

/* f per step of the seven PATHS, one curve each, on a log scale when
 * LOGSCALE (f >= 0 there; zeros are left out). */
static void
loss_per_step(lesson *L, const char *name, const char *title, const path paths[N_OPTIM],
              int logscale)
{
  nn_plot *p = lesson_plot(L, name);
  nn_plot_title(p, title);
  nn_plot_labels(p, "step t", logscale ? "f at step t (log scale)" : "f at step t");
  if (logscale)
    nn_plot_set(p, "logscale y");
  nn_plot_set(p, "key outside right top");
  size_t most = 0;
  for (int k = 0; k < N_OPTIM; k++)
    most = GSL_MAX(most, paths[k].n);
  double *t = malloc(most * sizeof *t), *f = malloc(most * sizeof *f);
  if (t == NULL || f == NULL)
    GSL_ERROR_VOID("loss_per_step: out of memory", GSL_ENOMEM);
  for (int k = 0; k < N_OPTIM; k++) {
    for (size_t i = 0; i < paths[k].n; i++) {
      t[i] = (double) i;
      f[i] = logscale && paths[k].z[i] <= 0 ? NAN : paths[k].z[i];
    }
    char style[64];
    snprintf(style, sizeof style, "lines lw 2 lc rgb '%s'", colours[k]);
    nn_plot_series(p, pretty[k], t, f, paths[k].n, style);
  }
  lesson_show_plot(L, p);
  nn_plot_free(p);
  free(t);
  free(f);
}

/// ## 4. A narrow valley: Rosenbrock's function
///
/// Many costs have long, narrow valleys: steep walls across, a gentle
/// slope along the floor. The classic test is Rosenbrock's function
///
///     f(x, y) = (1 - x)² + 100 (y - x²)²
///     ∂f/∂x = -2(1 - x) - 400 x (y - x²)       ∂f/∂y = 200 (y - x²)
///
/// whose valley follows the parabola y = x² down to the one minimum,
/// f = 0 at (1, 1). Across the valley the surface is hundreds of times
/// steeper than along it. The gradient, checked against central
/// differences at the start (`--start-x`, `--start-y`):

static void
narrow_valley(lesson *L)
{
  LESSON_PROSE(L);
  double a[2], n[2], at[2] = {start_x, start_y}, err;
  rosenbrock_grad(start_x, start_y, a);
  gsl_vector_view av = gsl_vector_view_array(a, 2), nv = gsl_vector_view_array(n, 2);
  gsl_vector_view pv = gsl_vector_view_array(at, 2);
  nn_gradcheck_numerical(&nv.vector, rosenbrock_v, NULL, &pv.vector, NN_GRADCHECK_STEP);
  nn_gradcheck_relative_error(&err, NULL, &av.vector, &nv.vector);
  lesson_printf(L, "at (%s, %s): f = %s\n", lesson_num(L, start_x), lesson_num(L, start_y),
                lesson_num(L, rosenbrock(start_x, start_y)));
  lesson_printf(L, "  by hand             ∇f = (%s, %s)\n", lesson_numf(L, a[0], 10),
                lesson_numf(L, a[1], 10));
  lesson_printf(L, "  central differences ∇f ≈ (%s, %s)   relative error %.1e\n",
                lesson_numf(L, n[0], 10), lesson_numf(L, n[1], 10), err);

  /// Each optimizer runs `--steps` steps from there, with a rate picked
  /// by hand. SGD, momentum and Nesterov share η = 0.001, below 2 divided
  /// by the steepest curvature of the start (the largest eigenvalue of the
  /// matrix of second derivatives, about 1500 there): far above that
  /// limit, a step throws the point across the valley, further each time
  /// (section 8). The adaptive ones get rates of their own (`--lr-scale`
  /// multiplies them all). Where they end:
  LESSON_PROSE(L);
  const double range[4] = {-2, 2, -1, 3};
  char title[160];
  snprintf(title, sizeof title, "Seven optimizers in Rosenbrock's valley, %d steps from "
           "(%s, %s)", steps, lesson_num(L, start_x), lesson_num(L, start_y));
  nn_plot *map = surface_map(L, &valley, 1, range, "rosenbrock-paths", title,
                             "incremental 0,1,3");
  path paths[N_OPTIM];
  seven_paths(L, &valley, valley_rates, start_x, start_y, map, 1, paths);
  const double one = 1, bottom = 0;
  nn_plot_series3d(map, "minimum (1, 1)", &one, &one, &bottom, 1,
                   "points pt 3 ps 2.5 lw 2 lc rgb '#000000' nocontours");
  lesson_show_plot(L, map);
  nn_plot_free(map);

  /// In the map `rosenbrock-paths`, coloured by log₁₀(1 + f), SGD drops
  /// to the valley floor in a few steps, then crawls along it: the floor
  /// is almost flat, and the rate that keeps it from exploding across the
  /// walls is far too small for the floor. Momentum builds up speed along
  /// the floor, where the gradients agree from step to step, while the
  /// swings across the walls cancel out. The adaptive optimizers divide
  /// each coordinate by its own gradient scale, so the flat direction is
  /// no longer starved; Adam, which adds momentum to that, gets closest
  /// of them, while Adagrad's steps keep shrinking (its sum of squares
  /// only grows) and it stalls halfway along the floor. The height per
  /// step, on a log scale:
  LESSON_PROSE(L);
  snprintf(title, sizeof title, "f per step in Rosenbrock's valley");
  loss_per_step(L, "rosenbrock-loss", title, paths, 1);
  for (int k = 0; k < N_OPTIM; k++)
    path_free(&paths[k]);
  lesson_try(L, "predict which optimizer gains most from ten times the steps, then run "
             "`make lecture9 ARGS='--steps 6000'`.");
}

/* peaks from lecture 6, through the library. */
static void
peaks_grad(double x, double y, double g[2])
{
  double v[2] = {x, y};
  gsl_vector_view vv = gsl_vector_view_array(v, 2), gv = gsl_vector_view_array(g, 2);
  nn_descent_peaks_grad(&vv.vector, NULL, &gv.vector);
}

static const surface peaks = {nn_descent_peaks_xy, peaks_grad};

/// ## 5. Peaks: momentum rolls through a pit
///
/// Lecture 6 showed that plain descent stops in the pit it starts above.
/// On the peaks surface, from (`--peaks-x`, `--peaks-y`), just above a
/// shallow pit (z ≈ -0.065 at (0.296, 0.320)) on the slope down to the
/// deepest one (z ≈ -6.55 at (0.228, -1.626)):

static void
peaks_paths(lesson *L)
{
  LESSON_PROSE(L);
  const double range[4] = {-3, 3, -3, 3};
  char title[160];
  snprintf(title, sizeof title, "Seven optimizers on peaks, %d steps from (%s, %s)",
           steps, lesson_num(L, peaks_x), lesson_num(L, peaks_y));
  nn_plot *map = surface_map(L, &peaks, 0, range, "peaks-paths", title,
                             "incremental -6,2,6");
  path paths[N_OPTIM];
  seven_paths(L, &peaks, peaks_rates, peaks_x, peaks_y, map, 0, paths);
  lesson_show_plot(L, map);
  nn_plot_free(map);
  snprintf(title, sizeof title, "z per step on peaks from (%s, %s)",
           lesson_num(L, peaks_x), lesson_num(L, peaks_y));
  loss_per_step(L, "peaks-loss", title, paths, 0);
  for (int k = 0; k < N_OPTIM; k++)
    path_free(&paths[k]);

  /// With the defaults, momentum alone reaches the deepest pit: it enters
  /// the shallow one with speed, and its velocity b carries it over the
  /// low rim on the far side and down the long slope. Nesterov looks
  /// ahead, feels the rim, and brakes: it stays, like all the others.
  /// Momentum is no guarantee of a better pit (the same speed can carry a
  /// run out onto the flat plain, where it stalls: try `--peaks-x -0.5
  /// --peaks-y 1.5`), but it does make descent less easily stuck in
  /// small dips and, in a network, on the plateaus where the gradient is
  /// small.
  LESSON_PROSE(L);
  lesson_try(L, "predict which optimizers leave the shallow pit from (1, 0.5), then run "
             "`make lecture9 ARGS='--peaks-x 1 --peaks-y 0.5'`.");
}

/* ===== The small network ===== */

/* The cost (binary cross-entropy from logits) of NET on the whole of X, Y,
 * and its accuracy (class 1 when the logit is positive). */
static double
whole_cost(nn_network *net, const gsl_matrix *X, const gsl_matrix *Y, double *accuracy)
{
  double J;
  nn_network_forward(net, NULL, X);
  const gsl_matrix *Z = nn_network_output(net);
  nn_loss_bce_logits(&J, NULL, NULL, Z, Y);
  if (accuracy != NULL) {
    size_t right = 0;
    for (size_t i = 0; i < X->size1; i++)
      right += (gsl_matrix_get(Z, i, 0) > 0) == (gsl_matrix_get(Y, i, 0) > 0.5);
    *accuracy = (double) right / (double) X->size1;
  }
  return J;
}

/// ## 6. The same on a small network
///
/// Surfaces of two variables are where we can watch; a network is where
/// it counts. The data: the noisy "exclusive or" of lecture 2 with 25
/// points per corner (spread 0.2), 100 points that no line separates. The
/// model: a 2-`--hidden`-1 network, tanh in the hidden layer, the output
/// a logit trained with binary cross-entropy. Every optimizer starts from
/// the **same random weights** and sees the **same mini-batches** of
/// `--batch` points, for `--epochs` passes; the whole thing is repeated
/// `--repeats` times from other weights, and the cost on all 100 points
/// after every step is averaged over the repeats.

static void
small_network(lesson *L)
{
  LESSON_PROSE(L);
  nn_data *data = nn_data_xor(L->rng, 25, 0.2);
  const size_t N = data->X->size1;
  const size_t B = GSL_MIN((size_t) batch, N);
  const size_t per_epoch = nn_data_batch_count(N, B);
  const size_t T = per_epoch * (size_t) epochs;  /* steps per run */
  size_t sizes[3] = {2, (size_t) hidden, 1};
  nn_activation_kind acts[2] = {NN_ACTIVATION_TANH, NN_ACTIVATION_IDENTITY};
  nn_network *net = nn_network_alloc(sizes, 3, acts, N);
  gsl_matrix *Y = gsl_matrix_alloc(N, 1);
  for (size_t i = 0; i < N; i++)
    gsl_matrix_set(Y, i, 0, gsl_vector_get(data->y, i));
  gsl_matrix *Xb = gsl_matrix_alloc(B, 2), *Yb = gsl_matrix_alloc(B, 1);
  gsl_matrix *dZ = gsl_matrix_alloc(B, 1);
  gsl_vector *yb = gsl_vector_alloc(B);
  gsl_vector *theta0 = gsl_vector_alloc(net->params->size);
  gsl_permutation *order = gsl_permutation_alloc(N);
  gsl_rng *shuffle = gsl_rng_alloc(gsl_rng_mt19937);
  /* cost[k][t]: optimizer k's mean cost over the repeats after t steps */
  double *cost = calloc(N_OPTIM * (T + 1), sizeof *cost);
  double final_acc[N_OPTIM] = {0};
  if (cost == NULL)
    GSL_ERROR_VOID("small_network: out of memory", GSL_ENOMEM);

  lesson_printf(L, "%zu points, a 2-%d-1 network (%zu parameters), batches of %zu: "
                "%zu steps per epoch, %zu in all\n", N, hidden, net->params->size, B,
                per_epoch, T);
  for (int r = 0; r < repeats; r++) {
    nn_network_init(net, L->rng);
    gsl_vector_memcpy(theta0, net->params);
    const unsigned long batches_seed = gsl_rng_get(L->rng);
    for (int k = 0; k < N_OPTIM; k++) {
      lesson_progress(L, "training networks", (size_t) (r * N_OPTIM + k),
                      (size_t) (repeats * N_OPTIM));
      gsl_vector_memcpy(net->params, theta0);
      gsl_rng_set(shuffle, batches_seed);
      nn_optim_options o = nn_optim_defaults((nn_optim_kind) k);
      o.lr = net_rates[k] * lr_scale;
      nn_optim *opt = nn_optim_alloc((nn_optim_kind) k, net->params->size, &o);
      double *c = cost + (size_t) k * (T + 1);
      c[0] += whole_cost(net, data->X, Y, NULL) / repeats;
      size_t t = 0;
      for (int e = 0; e < epochs; e++) {
        nn_data_shuffle(shuffle, order);
        for (size_t b = 0; b < per_epoch; b++) {
          size_t rows;
          nn_data_batch(data, order, b, Xb, yb, &rows);
          gsl_matrix_view X = gsl_matrix_submatrix(Xb, 0, 0, rows, 2);
          gsl_matrix_view Yv = gsl_matrix_submatrix(Yb, 0, 0, rows, 1);
          gsl_matrix_view dZv = gsl_matrix_submatrix(dZ, 0, 0, rows, 1);
          for (size_t i = 0; i < rows; i++)
            gsl_matrix_set(Yb, i, 0, gsl_vector_get(yb, i));
          nn_network_zero_grad(net);
          nn_network_forward(net, NULL, &X.matrix);
          nn_loss_bce_logits(NULL, NULL, &dZv.matrix, nn_network_output(net), &Yv.matrix);
          nn_network_backward(net, NULL, &dZv.matrix);
          nn_optim_step(opt, net->params, net->grads);
          double acc;
          c[++t] += whole_cost(net, data->X, Y, &acc) / repeats;
          if (t == T)
            final_acc[k] += acc / repeats;
        }
      }
      nn_optim_free(opt);
    }
  }
  lesson_progress(L, "training networks", 1, 1);
  lesson_printf(L, "  %s %s %s %s mean accuracy\n", lesson_pad(L, "optimizer", 11),
                lesson_pad(L, "η", 8), lesson_pad(L, "cost at the start", 19),
                lesson_pad(L, "cost at the end", 17));
  for (int k = 0; k < N_OPTIM; k++) {
    const double *c = cost + (size_t) k * (T + 1);
    lesson_printf(L, "  %s %s %s %s %s\n", lesson_pad(L, pretty[k], 11),
                  lesson_pad(L, lesson_num(L, net_rates[k] * lr_scale), 8),
                  lesson_pad(L, lesson_num(L, c[0]), 19),
                  lesson_pad(L, lesson_num(L, c[T]), 17), lesson_num(L, final_acc[k]));
  }

  nn_plot *p = lesson_plot(L, "network-loss");
  char title[160];
  snprintf(title, sizeof title, "Cost per step of a 2-%d-1 network on noisy XOR "
           "(mean of %d run%s)", hidden, repeats, repeats == 1 ? "" : "s");
  nn_plot_title(p, title);
  nn_plot_labels(p, "step t", "cost J on all points (log scale)");
  nn_plot_set(p, "logscale y");
  nn_plot_set(p, "key outside right top");
  double *t = malloc((T + 1) * sizeof *t);
  if (t == NULL)
    GSL_ERROR_VOID("small_network: out of memory", GSL_ENOMEM);
  for (size_t i = 0; i <= T; i++)
    t[i] = (double) i;
  for (int k = 0; k < N_OPTIM; k++) {
    char style[64];
    snprintf(style, sizeof style, "lines lw 2 lc rgb '%s'", colours[k]);
    nn_plot_series(p, pretty[k], t, cost + (size_t) k * (T + 1), T + 1, style);
  }
  lesson_show_plot(L, p);
  nn_plot_free(p);
  free(t);

  /// After the same steps, momentum, Nesterov and Adam end with a third
  /// of SGD's cost or less. Adagrad, whose steps shrink as its sum of
  /// squares grows, ends about where SGD does, and RMSProp a little lower.
  /// Adadelta, with PyTorch's η = 1, has hardly started: its steps begin
  /// at about √ε / √(1 - ρ) and grow only as its average of past steps
  /// fills up. Adam is the usual first choice because a rate near its
  /// default works on most problems with little tuning (here η = 0.03,
  /// for a network this small). The curves are averages over `--repeats`
  /// networks; a single run is noisier, since every mini-batch pulls the
  /// cost its own way.
  LESSON_PROSE(L);
  lesson_try(L, "predict which curves change most with batches of 100 (one step an "
             "epoch, the full gradient), then run `make lecture9 ARGS='--batch 100 "
             "--epochs 200'`; and average more runs with `--repeats 20`.");
  free(cost);
  gsl_rng_free(shuffle);
  gsl_permutation_free(order);
  gsl_vector_free(theta0);
  gsl_vector_free(yb);
  gsl_matrix_free(dZ);
  gsl_matrix_free(Yb);
  gsl_matrix_free(Xb);
  gsl_matrix_free(Y);
  nn_network_free(net);
  nn_data_free(data);
}

/// ## 7. Learning-rate schedules
///
/// Near a minimum a fixed rate keeps the point jumping around it, by
/// about η times the noise of the gradient. Lowering η as training goes
/// on lets it settle: a **schedule** gives the rate for each epoch from
/// the starting rate γ₀. The three most common (PyTorch's StepLR,
/// ExponentialLR and CosineAnnealingLR), here with γ₀ = 0.1 over 30
/// epochs:
///
///     step          γ₀ · 0.5^⌊epoch / 10⌋            halve every 10 epochs
///     exponential   γ₀ · 0.9^epoch                   10% less every epoch
///     cosine        γ₀ (1 + cos(π epoch / 30)) / 2    from γ₀ down to 0 at epoch 30

static void
schedules(lesson *L)
{
  LESSON_PROSE(L);
  enum { E = 30 };
  const nn_schedule sched[3] = {
    {.kind = NN_SCHEDULE_STEP, .lr0 = 0.1, .factor = 0.5, .step = 10},
    {.kind = NN_SCHEDULE_EXPONENTIAL, .lr0 = 0.1, .factor = 0.9},
    {.kind = NN_SCHEDULE_COSINE, .lr0 = 0.1, .t_max = E, .lr_min = 0},
  };
  static const char *const names[3] = {"step", "exponential", "cosine"};
  double ep[E + 1], lr[3][E + 1];
  for (int e = 0; e <= E; e++) {
    ep[e] = e;
    for (int s = 0; s < 3; s++)
      nn_schedule_lr(&sched[s], (unsigned) e, &lr[s][e]);
  }
  lesson_printf(L, "  epoch   %s %s %s\n", lesson_pad(L, "step", 14),
                lesson_pad(L, "exponential", 14), "cosine");
  for (int e = 0; e <= E; e += 5)
    lesson_printf(L, "  %-7d %s %s %s\n", e, lesson_pad(L, lesson_num(L, lr[0][e]), 14),
                  lesson_pad(L, lesson_num(L, lr[1][e]), 14), lesson_num(L, lr[2][e]));
  nn_plot *p = lesson_plot(L, "lr-schedules");
  nn_plot_title(p, "Learning-rate schedules from γ₀ = 0.1");
  nn_plot_labels(p, "epoch", "learning rate");
  static const char *const sched_colours[3] = {"#0072b2", "#d55e00", "#009e73"};
  for (int s = 0; s < 3; s++) {
    char style[64];
    /* the rate holds for a whole epoch: the step schedule's jumps as steps */
    snprintf(style, sizeof style, "%s lw 2 lc rgb '%s'",
             s == 0 ? "steps" : "linespoints pt 7 ps 0.5", sched_colours[s]);
    nn_plot_series(p, names[s], ep, lr[s], E + 1, style);
  }
  lesson_show_plot(L, p);
  nn_plot_free(p);

  /// A schedule rescues a rate that is too large to settle. RMSProp's
  /// steps stay about η long however close it gets, so in Rosenbrock's
  /// valley with ten times the rate of section 4 it bounces from wall to
  /// wall. The same `--steps`, with the rate of each schedule from that
  /// γ₀ (30 "epochs" stretched over the run):
  LESSON_PROSE(L);
  const double lr0 = 10 * valley_rates[NN_OPTIM_RMSPROP] * lr_scale;
  static const char *const run_names[4] = {"constant", "step", "exponential", "cosine"};
  lesson_printf(L, "RMSProp from (%s, %s), γ₀ = %s:\n", lesson_num(L, start_x),
                lesson_num(L, start_y), lesson_num(L, lr0));
  lesson_printf(L, "  %s f after %d steps\n", lesson_pad(L, "schedule", 13), steps);
  for (int s = 0; s < 4; s++) {
    /* the schedule over the run: 30 "epochs" of steps/30 steps each */
    nn_optim_options o = nn_optim_defaults(NN_OPTIM_RMSPROP);
    o.lr = lr0;
    nn_optim *opt = nn_optim_alloc(NN_OPTIM_RMSPROP, 2, &o);
    double theta[2] = {start_x, start_y}, g[2];
    gsl_vector_view tv = gsl_vector_view_array(theta, 2), gv = gsl_vector_view_array(g, 2);
    nn_schedule run = s == 0 ? (nn_schedule){.kind = NN_SCHEDULE_CONSTANT, .lr0 = lr0}
                             : sched[s - 1];
    run.lr0 = lr0;
    for (int t = 0; t < steps; t++) {
      double now;
      nn_schedule_lr(&run, (unsigned) ((long) t * E / steps), &now);
      if (now > 0)  /* cosine reaches 0 only at the very end */
        nn_optim_set_lr(opt, now);
      rosenbrock_grad(theta[0], theta[1], g);
      nn_optim_step(opt, &tv.vector, &gv.vector);
    }
    lesson_printf(L, "  %s %s\n", lesson_pad(L, run_names[s], 13),
                  lesson_num(L, rosenbrock(theta[0], theta[1])));
    nn_optim_free(opt);
  }

  /// Every decaying rate ends lower than the constant one. The price is
  /// one more knob to choose: the exponential schedule, which has cut the
  /// rate to a tenth by epoch 22, gains least, because a rate that decays
  /// too early stops training before it has arrived. Adaptive optimizers
  /// do not make schedules useless: their steps are about η long near a
  /// minimum too, so a schedule is common with Adam.
  LESSON_PROSE(L);
}

/// ## 8. Exploding gradients and gradient clipping
///
/// The step is η times the gradient, and a gradient can be huge: on a
/// steep wall, on a cliff of the cost, or in a deep network where many
/// slopes multiply (lectures 6 and 7). One huge step throws the
/// parameters far away, where the gradient is larger still: the run
/// **explodes** to infinity in a few steps. **Gradient clipping** caps
/// the length of the gradient before the step: when ‖g‖ is above a
/// threshold c,
///
///     g ← g · c / ‖g‖
///
/// which keeps its direction and caps the step of SGD at η c. SGD in
/// Rosenbrock's valley with a rate `--clip-lr` that is too large, with
/// and without clipping at `--clip`:

static void
clipping(lesson *L)
{
  LESSON_PROSE(L);
  double g[2];
  rosenbrock_grad(start_x, start_y, g);
  lesson_printf(L, "at the start ‖∇f‖ = %s: a first step of η‖∇f‖ = %s without "
                "clipping, %s with it\n", lesson_num(L, hypot(g[0], g[1])),
                lesson_num(L, clip_lr * hypot(g[0], g[1])),
                lesson_num(L, clip_lr * GSL_MIN(hypot(g[0], g[1]), clip)));
  path runs[2];
  static const char *const what[2] = {"without clipping", "clipped"};
  for (int c = 0; c < 2; c++) {
    path_alloc(&runs[c], (size_t) steps + 1);
    run_on(&valley, NN_OPTIM_SGD, clip_lr, start_x, start_y, (size_t) steps,
           c ? clip : 0, &runs[c]);
    const path *pa = &runs[c];
    const size_t T = pa->n - 1;
    if (pa->n < (size_t) steps + 1)
      lesson_printf(L, "  %s: exploded: f = %s after step %zu, then overflowed at "
                    "step %zu\n", what[c], lesson_num(L, pa->z[T]), T, T + 1);
    else
      lesson_printf(L, "  %s: f = %s after %d steps, at (%s, %s)\n", what[c],
                    lesson_num(L, pa->z[T]), steps, lesson_num(L, pa->x[T]),
                    lesson_num(L, pa->y[T]));
  }
  nn_plot *p = lesson_plot(L, "clipping");
  char title[160];
  snprintf(title, sizeof title, "SGD in Rosenbrock's valley, η = %s, with and without "
           "clipping at %s", lesson_num(L, clip_lr), lesson_num(L, clip));
  nn_plot_title(p, title);
  nn_plot_labels(p, "step t", "f at step t (log scale)");
  nn_plot_set(p, "logscale y");
  nn_plot_set(p, "key outside right top");
  static const char *const clip_colours[2] = {"#d55e00", "#0072b2"};
  for (int c = 0; c < 2; c++) {
    double *t = malloc(runs[c].n * sizeof *t);
    if (t == NULL)
      GSL_ERROR_VOID("clipping: out of memory", GSL_ENOMEM);
    for (size_t i = 0; i < runs[c].n; i++)
      t[i] = (double) i;
    char style[64];
    snprintf(style, sizeof style, "linespoints lw 2 pt 7 ps 0.4 lc rgb '%s'",
             clip_colours[c]);
    nn_plot_series(p, what[c], t, runs[c].z, runs[c].n, style);
    free(t);
  }
  lesson_show_plot(L, p);
  nn_plot_free(p);
  path_free(&runs[0]);
  path_free(&runs[1]);

  /// Without clipping the first step lands high on the far wall, where
  /// the gradient is larger, and each step multiplies f until it
  /// overflows. Clipped, no step is longer than η c, and the run walks
  /// down into the valley. Clipping is the standard guard for recurrent
  /// networks (lecture 12), whose gradients pass through the same weights
  /// once per time step. It is a guard, not a cure: the run still takes
  /// steps of at most η c, however far the minimum is, and the rate
  /// remains the knob to get right.
  LESSON_PROSE(L);
  lesson_try(L, "predict what a threshold of 1000 does, then run "
             "`make lecture9 ARGS='--clip 1000'`.");
}

/// ## What to remember
///
/// - An optimizer changes the step, not the gradient. SGD steps η g;
///   momentum and Nesterov add up past gradients (speed along a valley,
///   cancelled swings across it); Adagrad, RMSProp, Adadelta and Adam
///   divide each parameter's step by the size of its own gradients.
/// - Adam = momentum + RMSProp + bias correction; its first step is η
///   sign(g), whatever the gradient's size. Its default η = 0.001 suits
///   networks; rescale it to the problem.
/// - On a convex bowl all of them go downhill; in a narrow valley plain
///   SGD crawls; momentum can roll through small pits.
/// - Lower the rate as training goes on (step, exponential, cosine
///   schedules), and clip the gradient's norm against explosions.
///
/// Next, lecture 10: regularization, or how to keep a network that
/// trains well from learning its training set by heart.

static void
closing(lesson *L)
{
  LESSON_PROSE(L);
  lesson_questions(L,
                   "Why does momentum speed up descent along a narrow valley but not "
                   "across it?",
                   "Adam's first step is about η·sign(g): why, and what does its bias "
                   "correction fix?",
                   "What does gradient clipping change in a step, and what does it "
                   "leave alone?");
}
