/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Smoke test of lecture 7 (backpropagation): it runs, prints its lesson,
 * writes figures that gnuplot and dot accept, and its gradients are right.
 * The gradients are checked here independently of the library: the
 * neuron's and the tiny MLP's are recomputed from the numbers the lesson
 * prints (their leaves), by central differences of formulas written out in
 * this file; the graphs show those same gradients; the dense layer's dX, dW
 * and db are the matrix products of the formulas and pass a central
 * difference check; and every check of the library's gradients that the
 * lesson prints passes. Its command line behaves.
 *
 * The lecture runs as a program from the build tree and writes only under
 * tests/out/lecture7 there (see lecturetest.h). */
#include <config.h>

#include "nntest.h"
#include "lecturetest.h"
#include "runningref.h"

#include <stdlib.h>

static int
setup(void **state)
{
  (void) state;
  lt_init(7);
  return 0;
}

/* ===== Gradient checks, independently of the library ===== */

/* numerical[i] = ∂f/∂θ_i at θ by central differences, h = 1e-5. */
static void
central_differences(double (*f)(const double *theta, const void *ctx), const void *ctx,
                    double *theta, size_t n, double *numerical)
{
  const double h = 1e-5;
  for (size_t i = 0; i < n; i++) {
    double keep = theta[i];
    theta[i] = keep + h;
    double up = f(theta, ctx);
    theta[i] = keep - h;
    double down = f(theta, ctx);
    theta[i] = keep;
    numerical[i] = (up - down) / (2 * h);
  }
}

/* ===== Reading what the lecture printed ===== */

/* One row of a node table: "  #   label   made by   data   grad   numerical". */
typedef struct node_row {
  char label[64];  /* the node's label (a leaf's name) */
  int leaf;        /* 1 when made by "(leaf)" */
  double data, grad, numerical;
} node_row;

/* The rows of the node table that follows the COUNT-th header (0: the
 * neuron's, 1: the MLP's). Returns how many. */
static size_t
read_node_table(const char *out, int count, node_row *rows, size_t max)
{
  const char *header = "  #   node          made by";
  const char *s = strstr(out, header);
  for (int k = 0; k < count && s != NULL; k++)
    s = strstr(s + 1, header);
  assert_non_null(s);
  s = strchr(s, '\n') + 1;
  size_t n = 0;
  while (n < max && strncmp(s, "  ", 2) == 0) {
    const char *end = strchr(s, '\n');
    assert_non_null(end);
    char line[512];
    snprintf(line, sizeof line, "%.*s", (int) (end - s), s);
    /* the last three fields are numbers; the first is the index */
    char *tok[32];
    size_t nt = 0;
    for (char *t = strtok(line, " "); t != NULL && nt < 32; t = strtok(NULL, " "))
      tok[nt++] = t;
    assert_true(nt >= 5);
    node_row *r = &rows[n++];
    r->data = strtod(tok[nt - 3], NULL);
    r->grad = strtod(tok[nt - 2], NULL);
    r->numerical = strtod(tok[nt - 1], NULL);
    r->leaf = strcmp(tok[nt - 4], "(leaf)") == 0;
    snprintf(r->label, sizeof r->label, "%s", r->leaf ? tok[1] : "");
    s = end + 1;
  }
  return n;
}

/* The value of the leaf called LABEL in ROWS. */
static double
leaf_value(const node_row *rows, size_t n, const char *label)
{
  for (size_t k = 0; k < n; k++)
    if (rows[k].leaf && strcmp(rows[k].label, label) == 0)
      return rows[k].data;
  fail_msg("no leaf %s in the table", label);
  return NAN;
}

/* The matrix printed as "\nNAME =\n" and rows "  [ a b c ]": exactly ROWS
 * rows of COLS numbers each, into M (row-major). */
static void
read_matrix(const char *out, const char *name, size_t rows, size_t cols, double *m)
{
  size_t printed_cols;
  assert_int_equal(lt_printed_matrix(out, name, m, rows, cols, &printed_cols), rows);
  assert_int_equal(printed_cols, cols);
}

/* The vector printed as "\nNAME = (a, b, ...)": its N numbers, into V. */
static void
read_vector(const char *out, const char *name, size_t n, double *v)
{
  char marker[128];
  snprintf(marker, sizeof marker, "\n%s = (", name);
  assert_int_equal(lt_printed_vector(out, marker, v, n), n);
}

/* ===== The lesson ===== */

static void
it_runs_and_prints_the_lesson(void **state)
{
  (void) state;
  const lt_run *r = &lt_default_run;
  static const char *const headings[] = {
    "# Lecture 7: Backpropagation",
    "## 1. The chain rule",
    "## 2. Backpropagation: gradient descent, super-charged",
    "## 3. A computation graph, forward and backward",
    "## 4. A tiny MLP, node by node",
    "## 5. The running problem, by backpropagation",
    "## 6. Gradients through many layers: why they vanish or explode",
    "## 7. The dense layer's backward pass",
    "## 8. Every gradient in the library, checked",
    "## What to remember",
    "## Check yourself",
    "## Figures written",
    NULL,
  };
  lt_check_lesson(r, headings);
  assert_true(lt_contains(r->out, "**topological order**"));
  assert_true(lt_contains(r->out, "dX = dY W"));
  lt_check_terminal_plot(r, "Gradient check of the tiny MLP, parameter by parameter");
  assert_true(lt_contains(r->out, "Try it: "));
  assert_true(lt_contains(r->out, "`make exercise7`"));
}

static void
every_figure_is_complete_and_valid(void **state)
{
  (void) state;
  assert_int_equal(lt_default_run.status, 0);
  static const char *const plots[] = {"mlp-gradient-check", "gradient-through-depth",
                                      NULL};
  static const char *const graphs[] = {"neuron-graph", "mlp-graph", "running-graph",
                                       NULL};
  lt_check_figures(lt_default_dir(), plots, graphs);
}

/* ===== The neuron ===== */

/* o = tanh(x1 w1 + x2 w2 + b), θ = (x1, w1, x2, w2, b). */
static double
neuron(const double *t, const void *ctx)
{
  (void) ctx;
  return tanh(t[0] * t[1] + t[2] * t[3] + t[4]);
}

static void
the_neuron_passes_a_numerical_check(void **state)
{
  (void) state;
  node_row rows[16];
  size_t n = read_node_table(lt_default_run.out, 0, rows, 16);
  assert_int_equal(n, 10);
  static const char *const leaves[] = {"x₁", "w₁", "x₂", "w₂", "b"};
  double theta[5], analytic[5], numerical[5];
  for (size_t k = 0; k < 5; k++) {
    theta[k] = leaf_value(rows, n, leaves[k]);
    for (size_t j = 0; j < n; j++)
      if (rows[j].leaf && strcmp(rows[j].label, leaves[k]) == 0)
        analytic[k] = rows[j].grad;  /* what backpropagation printed */
  }
  central_differences(neuron, NULL, theta, 5, numerical);
  assert_true(lt_relative_error(analytic, numerical, 5) < 1e-5);
  /* the output and its own grad: o = tanh(n), ∂o/∂o = 1 */
  assert_close(rows[9].data, neuron(theta, NULL), 1e-5);
  assert_close(rows[9].grad, 1.0, 0);
  /* every intermediate node: the sum n passes (1 - o²) to x₁w₁, x₂w₂ and b */
  const double o = rows[9].data;
  for (size_t j = 5; j < 9; j++)
    assert_close(rows[j].grad, 1 - o * o, 1e-5);
  /* and the lesson's own numerical column agrees */
  for (size_t j = 0; j < n; j++)
    assert_close(rows[j].numerical, rows[j].grad, 1e-5);

  /* section 1: the chain rule for the first input, do/dw = (1 - o²) x */
  const char *out = lt_find(lt_default_run.out, "## 1. The chain rule");
  double x = lt_printed_after(out, "\nx = "), w = lt_printed_after(out, ", w = ");
  double b = lt_printed_after(out, ", b = ");
  double o1 = tanh(w * x + b);
  assert_close(lt_printed_after(out, "do/dw = do/dn · dn/dw = "), (1 - o1 * o1) * x,
               1e-5);
  assert_true(lt_contains(out, "numerical check of all 17 nodes of the longer graph: "
                          "relative error"));
  assert_true(lt_printed_after(out, "of the longer graph: relative error ") < 1e-7);
}

/* The grads drawn in a .dot file: for each record "{ LABEL | data D | grad G }"
 * whose label is LABEL, G must be within 5e-4 (relative) of EXPECTED: the
 * graph shows 4 significant digits. */
static void
assert_graph_shows(const char *dot, const char *label, double expected)
{
  char key[96];
  snprintf(key, sizeof key, "{ %s | data ", label);
  const char *s = strstr(dot, key);
  if (s == NULL)
    fail_msg("the graph has no node \"%s\"", label);
  const char *g = strstr(s, "| grad ");
  assert_non_null(g);
  double shown = strtod(g + strlen("| grad "), NULL);
  assert_true(fabs(shown - expected) <= 5e-4 * fmax(fabs(expected), 1e-3));
}

static void
the_graphs_show_the_checked_gradients(void **state)
{
  (void) state;
  node_row rows[64];
  size_t n = read_node_table(lt_default_run.out, 0, rows, 64);
  static const char *const leaves[] = {"x₁", "w₁", "x₂", "w₂", "b"};
  double theta[5], numerical[5];
  for (size_t k = 0; k < 5; k++)
    theta[k] = leaf_value(rows, n, leaves[k]);
  central_differences(neuron, NULL, theta, 5, numerical);
  char *dot = lt_read_file(lt_path(lt_default_dir(), "neuron-graph", "dot"), NULL);
  assert_non_null(dot);
  assert_true(lt_contains(dot, "rankdir=LR"));
  for (size_t k = 0; k < 5; k++)
    assert_graph_shows(dot, leaves[k], numerical[k]);
  assert_graph_shows(dot, "o", 1.0);
  free(dot);

  n = read_node_table(lt_default_run.out, 1, rows, 64);
  dot = lt_read_file(lt_path(lt_default_dir(), "mlp-graph", "dot"), NULL);
  assert_non_null(dot);
  size_t drawn = 0;
  for (const char *s = dot; (s = strstr(s, "| grad ")) != NULL; s++)
    drawn++;
  assert_int_equal(drawn, n);  /* every node shows its value and gradient */
  for (size_t k = 0; k < n; k++)
    if (rows[k].leaf)
      assert_graph_shows(dot, rows[k].label, rows[k].numerical);
  free(dot);
}

/* ===== The tiny MLP ===== */

/* L = (Σ_j v_j relu(w_j1 x1 + w_j2 x2 + b_j) + c - y)² for the default
 * MLP (2 hidden units, ReLU); θ = (x1, x2, w11, w12, b1, v1, w21, w22, b2,
 * v2, c, y), the order of the lesson's tape. */
static double
mlp_loss(const double *t, const void *ctx)
{
  const int *tanh_units = ctx;
  double yhat = t[10];
  for (size_t j = 0; j < 2; j++) {
    const double *u = t + 2 + 4 * j;  /* w_j1, w_j2, b_j, v_j */
    double z = u[0] * t[0] + u[1] * t[1] + u[2];
    yhat += u[3] * (*tanh_units ? tanh(z) : fmax(z, 0));
  }
  return (yhat - t[11]) * (yhat - t[11]);
}

static void
check_mlp(const char *out, int tanh_units)
{
  node_row rows[64];
  size_t n = read_node_table(out, 1, rows, 64);
  assert_int_equal(n, 28);
  static const char *const leaves[] = {"x₁", "x₂", "w₁₁", "w₁₂", "b₁", "v₁",
                                       "w₂₁", "w₂₂", "b₂", "v₂", "c", "y"};
  double theta[12], analytic[12], numerical[12];
  for (size_t k = 0; k < 12; k++) {
    theta[k] = leaf_value(rows, n, leaves[k]);
    for (size_t j = 0; j < n; j++)
      if (rows[j].leaf && strcmp(rows[j].label, leaves[k]) == 0)
        analytic[k] = rows[j].grad;
  }
  /* the lesson keeps every hidden input z_j at least 0.05 from ReLU's corner */
  for (size_t j = 0; j < 2; j++) {
    const double *u = theta + 2 + 4 * j;
    assert_true(fabs(u[0] * theta[0] + u[1] * theta[1] + u[2]) >= 0.05 - 1e-12);
  }
  central_differences(mlp_loss, &tanh_units, theta, 12, numerical);
  double err = lt_relative_error(analytic, numerical, 12);
  if (!(err < 1e-5))
    print_error("MLP gradient check: relative error %g\n", err);
  assert_true(err < 1e-5);
  assert_close(rows[n - 1].data, mlp_loss(theta, &tanh_units), 1e-5);
}

static void
the_mlp_passes_a_numerical_check(void **state)
{
  (void) state;
  check_mlp(lt_default_run.out, 0);
  /* the chart: one bar per parameter, its relative error |a - n| / (|a| + |n|)
   * between the table's backpropagation and numerical gradients, floored
   * at 1e-16, all below the check's 1e-6; block 1 is that threshold */
  const char *path = lt_path(lt_default_dir(), "mlp-gradient-check", "dat");
  double i0[16], e[16], tx[4], ty[4];
  assert_int_equal(lt_read_block(path, 0, i0, e, 16), 9);
  assert_int_equal(lt_read_block(path, 1, tx, ty, 4), 2);
  assert_close(ty[0], 1e-6, 0);
  node_row rows[64];
  size_t n = read_node_table(lt_default_run.out, 1, rows, 64), p = 0;
  for (size_t k = 0; k < n; k++)
    if (rows[k].leaf && strchr("wbvc", rows[k].label[0]) != NULL) {
      assert_true(p < 9);
      const double a = rows[k].grad, num = rows[k].numerical;
      const double want = fabs(a) + fabs(num) == 0 ? 1e-16
                          : fmax(1e-16, fabs(a - num) / (fabs(a) + fabs(num)));
      assert_true(e[p] >= 1e-16 && e[p] < 1e-6);
      /* the table prints the numerical gradient to 12 digits: agree where
       * that rounding does not decide */
      if (want > 1e-9)
        assert_close(e[p], want, 0.1);
      p++;
    }
  assert_int_equal(p, 9);
  /* and the same network as matrices gives the same gradients */
  assert_true(lt_printed_after(lt_default_run.out,
                               "largest difference from the autograd gradients: ")
              < 1e-12);
}

/* ===== The running problem ===== */

/* The running network at the start of lecture 6's walk: hand-set with
 * k = 10, then v1 = 4 and c = -4. */
static void
running_start(double theta[RR_PARAMS])
{
  rr_hand_set(theta, 10);
  theta[rr_index("v1")] = 4;
  theta[rr_index("c")] = -4;
}

/* The nine partials printed, by backpropagation and by the chain rule, are
 * those of J by central differences of the definition (tests/runningref.h),
 * and agree with each other to rounding. */
static void
the_running_gradients_by_backprop_are_the_partials(void **state)
{
  (void) state;
  rr_data d;
  rr_make_data(&d, 0.15);
  double theta[RR_PARAMS];
  running_start(theta);
  const char *s = lt_find(lt_default_run.out, "  θ     ∂J/∂θ backprop");
  for (size_t i = 0; i < RR_PARAMS; i++) {
    s = strchr(s, '\n') + 1;
    char name[8];
    double back, chain, num, err;
    assert_int_equal(sscanf(s, " %7s %lf %lf %lf %lf", name, &back, &chain, &num, &err),
                     5);
    assert_string_equal(name, rr_names[i]);
    assert_close(back, rr_partial(theta, i, &d), 2e-5);
    assert_close(back, chain, 1e-5);
    assert_true(err < 1e-6);
  }
  assert_close(lt_printed_after(lt_default_run.out, "J = "), rr_cost(theta, &d), 1e-5);
  assert_true(lt_printed_after(lt_default_run.out, "backprop against central "
                               "differences (h = 1e-05): relative error ") < 1e-6);
}

/* The drawn graph of one point (the default --sample 1): its loss and the
 * gradients of the nine parameters, checked by central differences of the
 * loss of that point written out here. */
static double
point_loss(const double *t, const void *ctx)
{
  const double *xy = ctx;  /* x1, x2, y */
  double h1 = rr_sigmoid(t[0] * xy[0] + t[1] * xy[1] + t[4]);
  double h2 = rr_sigmoid(t[2] * xy[0] + t[3] * xy[1] + t[5]);
  double e = rr_sigmoid(t[6] * h1 + t[7] * h2 + t[8]) - xy[2];
  return e * e;
}

static void
the_running_graph_shows_one_points_gradients(void **state)
{
  (void) state;
  rr_data d;
  rr_make_data(&d, 0.15);
  double theta[RR_PARAMS], grad[RR_PARAMS];
  running_start(theta);
  const double xy[3] = {d.x[0][0], d.x[0][1], d.y[0]};
  central_differences(point_loss, xy, theta, RR_PARAMS, grad);
  char *dot = lt_read_file(lt_path(lt_default_dir(), "running-graph", "dot"), NULL);
  assert_non_null(dot);
  static const char *const drawn[RR_PARAMS] = {"w₁₁", "w₁₂", "w₂₁", "w₂₂", "b₁", "b₂",
                                               "v₁", "v₂", "c"};
  for (size_t i = 0; i < RR_PARAMS; i++)
    assert_graph_shows(dot, drawn[i], grad[i]);
  assert_graph_shows(dot, "L", 1.0);
  assert_true(lt_contains(dot, "rankdir"));
  free(dot);
}

/* The id of the node whose record starts with LABEL in DOT: "v12". */
static void
node_id(const char *dot, const char *label, char *id, size_t size)
{
  char key[96];
  snprintf(key, sizeof key, "[label=\"{ %s | data ", label);
  const char *s = strstr(dot, key);
  if (s == NULL)
    fail_msg("the graph has no node \"%s\"", label);
  const char *q = s;
  while (q > dot && q[-1] != '\n')
    q--;
  assert_true(sscanf(q, " \"%31[^\"]\"", id) == 1 && strlen(id) < size);
}

/* The MLP's graph fits a slide: drawn top to bottom, each bias beside the
 * sum it is added to (not in a first row of every leaf), and its picture
 * at most 1500 points (2000 pixels) wide, neither a strip nor a tower. */
static void
the_mlp_graph_fits_a_slide(void **state)
{
  (void) state;
  char *dot = lt_read_file(lt_path(lt_default_dir(), "mlp-graph", "dot"), NULL);
  assert_non_null(dot);
  assert_true(lt_contains(dot, "rankdir=\"TB\""));
  char b1[32], s1[32], x1[32], x2[32];
  node_id(dot, "b₁", b1, sizeof b1);
  node_id(dot, "s₁", s1, sizeof s1);
  node_id(dot, "x₁", x1, sizeof x1);
  node_id(dot, "x₂", x2, sizeof x2);
  size_t together = 0, inputs = 0;
  for (const char *line = dot; (line = strstr(line, "{ rank=same;")) != NULL; line++) {
    const char *end = strchr(line, '\n');
    char key[40], key2[40];
    snprintf(key, sizeof key, "\"%s\"", b1);
    snprintf(key2, sizeof key2, "\"%s\"", s1);
    const char *a = strstr(line, key), *b = strstr(line, key2);
    together += a != NULL && a < end && b != NULL && b < end;
    snprintf(key, sizeof key, "\"%s\"", x1);
    snprintf(key2, sizeof key2, "\"%s\"", x2);
    a = strstr(line, key);
    b = strstr(line, key2);
    inputs += a != NULL && a < end && b != NULL && b < end;
  }
  assert_int_equal(together, 1);
  assert_int_equal(inputs, 1);
  free(dot);
  if (!lt_have_dot)
    return;
  char *svg = lt_read_file(lt_path(lt_default_dir(), "mlp-graph", "svg"), NULL);
  assert_non_null(svg);
  const char *w = lt_find(svg, "<svg width=\"");
  double width = 0, height = 0;
  assert_int_equal(sscanf(w, "<svg width=\"%lfpt\" height=\"%lfpt\"", &width, &height),
                   2);
  assert_true(width <= 1500);
  assert_true(width / height > 1.0 / 3 && width / height < 3);
  free(svg);
}

/* y_L of a chain of L layers y_l = g(w y_(l-1)) from y_0 = 0.5, and the
 * derivative ∂y_L/∂y_0 by a central difference. */
static double
sigmoid_chain(int depth, double y0)
{
  double y = y0;
  for (int l = 0; l < depth; l++)
    y = 1 / (1 + exp(-y));
  return y;
}

static void
gradients_through_depth_are_products(void **state)
{
  (void) state;
  const char *file = lt_path(lt_default_dir(), "gradient-through-depth", "dat");
  double L[64], g[64];
  /* blocks: sigmoid w = 1, ReLU w = 0.8, ReLU w = 1, ReLU w = 1.25 */
  static const double relu_w[] = {0.8, 1.0, 1.25};
  for (size_t k = 0; k < 3; k++) {
    size_t n = lt_read_block(file, 1 + k, L, g, 64);
    assert_int_equal(n, 51);
    for (size_t i = 0; i < n; i++)  /* ReLU active: a factor w per layer */
      assert_close(g[i], pow(relu_w[k], L[i]), 1e-12);
  }
  size_t n = lt_read_block(file, 0, L, g, 64);
  assert_int_equal(n, 51);
  assert_true(g[50] < 1e-25);  /* vanished */
  /* the sigmoid chain's product against a central difference of the chain */
  for (int depth = 1; depth <= 6; depth++) {
    const double h = 1e-4;
    double numeric = (sigmoid_chain(depth, 0.5 + h) - sigmoid_chain(depth, 0.5 - h))
                     / (2 * h);
    double analytic = g[depth];
    assert_true(analytic != 0);
    assert_true(fabs(numeric - analytic) / fabs(analytic) < 1e-7);
  }
  /* and the lesson's own check of that product, at 10 layers */
  const char *check = lt_find(lt_default_run.out, "check, sigmoid chain of 10 layers:");
  assert_true(lt_printed_after(check, "  relative error ") < 1e-6);
}

/* ===== The dense layer ===== */

/* J(W) = MSE(X Wᵀ + b, T) for the default batch (4 x 3 inputs, 2 outputs). */
typedef struct dense_ctx {
  const double *X, *b, *T;  /* (4, 3), (2), (4, 2) */
} dense_ctx;

static double
dense_cost(const double *W, const void *ctx)
{
  const dense_ctx *d = ctx;
  double J = 0;
  for (size_t i = 0; i < 4; i++)
    for (size_t j = 0; j < 2; j++) {
      double y = d->b[j];
      for (size_t k = 0; k < 3; k++)
        y += d->X[i * 3 + k] * W[j * 3 + k];
      J += (y - d->T[i * 2 + j]) * (y - d->T[i * 2 + j]);
    }
  return J / 8;
}

static void
dense_backward_is_the_formulas(void **state)
{
  (void) state;
  const char *out = lt_default_run.out;
  double X[12], W[6], b[2], T[8], dY[8], dX[12], dW[6], db[2];
  read_matrix(out, "X", 4, 3, X);
  read_matrix(out, "W", 2, 3, W);
  read_vector(out, "b", 2, b);
  read_matrix(out, "T", 4, 2, T);
  read_matrix(out, "dY = ∂J/∂Y = 2 (Y - T) / (B N_out)", 4, 2, dY);
  read_matrix(out, "dX = dY W", 4, 3, dX);
  read_matrix(out, "dW = dYᵀ X", 2, 3, dW);
  read_vector(out, "db = column sums of dY", 2, db);
  for (size_t i = 0; i < 4; i++)
    for (size_t j = 0; j < 2; j++) {
      double y = b[j];
      for (size_t k = 0; k < 3; k++)
        y += X[i * 3 + k] * W[j * 3 + k];
      assert_close(dY[i * 2 + j], 2 * (y - T[i * 2 + j]) / 8, 1e-4);  /* read back as printed, to 6 digits */
    }
  for (size_t i = 0; i < 4; i++)  /* dX = dY W */
    for (size_t k = 0; k < 3; k++) {
      double s = 0;
      for (size_t j = 0; j < 2; j++)
        s += dY[i * 2 + j] * W[j * 3 + k];
      assert_close(dX[i * 3 + k], s, 1e-4);
    }
  for (size_t j = 0; j < 2; j++) {  /* dW = dYᵀ X, db = Σ_b dY */
    double s = 0;
    for (size_t i = 0; i < 4; i++)
      s += dY[i * 2 + j];
    assert_close(db[j], s, 1e-4);
    for (size_t k = 0; k < 3; k++) {
      s = 0;
      for (size_t i = 0; i < 4; i++)
        s += dY[i * 2 + j] * X[i * 3 + k];
      assert_close(dW[j * 3 + k], s, 1e-4);
    }
  }
  /* dW passes a central-difference check of J(W) */
  dense_ctx ctx = {X, b, T};
  double numerical[6];
  central_differences(dense_cost, &ctx, W, 6, numerical);
  assert_true(lt_relative_error(dW, numerical, 6) < 1e-4);
  assert_true(lt_contains(out, "all three pass (below 1e-6)"));
}

static void
every_library_gradient_passes_its_check(void **state)
{
  (void) state;
  const char *s = lt_find(lt_default_run.out, "## 8. Every gradient in the library");
  size_t checks = 0;
  for (s = strstr(s, " relative error "); s != NULL; s = strstr(s + 1, " relative error ")) {
    double err = strtod(s + strlen(" relative error "), NULL);
    assert_true(err < 1e-7);
    checks++;
  }
  assert_true(checks >= 20);
  assert_null(strstr(lt_default_run.out, "FAILS"));
  assert_true(lt_contains(lt_default_run.out, "every gradient passes"));
  assert_true(lt_contains(lt_default_run.out, "nn_dense_backward"));
  assert_true(lt_contains(lt_default_run.out, "nn_network_backward"));
  assert_true(lt_contains(lt_default_run.out, "nn_loss_softmax_ce"));
}

/* ===== The command line ===== */

static void
help_lists_every_knob(void **state)
{
  (void) state;
  static const char *const knobs[] = {
    "--hidden N", "--activation relu|tanh|sigmoid", "--batch N", "--step X",
    "--seed N", "--out DIR", "--no-prose", "--quiet", "--help", "(default 2)",
    "(default relu)", "(default 4)", "(default 1e-05)", "(default out/lecture7)",
    "--running-sd X", "--scale X", "--sample N", "(default 0.15)", "(default 10)",
    "(default 1)",
    NULL};
  lt_check_help(knobs);
}

static void
bad_values_are_refused_by_name(void **state)
{
  (void) state;
  static const char *const cases[][5] = {
    {"--hidden", "0", NULL, "--hidden", "'0'"},
    {"--hidden", "5", NULL, "--hidden", "'5'"},
    {"--activation", "softmax", NULL, "--activation", "softmax"},
    {"--batch", "17", NULL, "--batch", "'17'"},
    {"--step", "0", NULL, "--step", "'0'"},
    {"--step", "x", NULL, "--step", "'x'"},
    {"--sample", "0", NULL, "--sample", "'0'"},
    {"--sample", "21", NULL, "--sample", "21"},
    {"--scale", "-1", NULL, "--scale", "-1"},
    {"--seed", "-1", NULL, "--seed", "-1"},
    {"--bogus", NULL, NULL, "--bogus", "--help"},
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++)
    lt_check_refused(cases[k], cases[k][3], cases[k][4]);
}

static void
the_same_seed_gives_the_same_lesson(void **state)
{
  (void) state;
  lt_check_seed_determines_the_lesson();
}

static void
the_knobs_change_the_lesson(void **state)
{
  (void) state;
  const char *args[] = {"--activation", "tanh", "--batch", "2", "--no-prose", NULL};
  lt_run r = lt_run_lecture("knobs", args, NULL);
  lt_check_succeeded(&r);
  assert_null(strstr(r.out, "rates of change multiply"));  /* --no-prose */
  assert_true(lt_contains(r.out, "hidden units: 2, activation: tanh"));
  check_mlp(r.out, 1);
  double X[6];
  read_matrix(r.out, "X", 2, 3, X);  /* a batch of 2 */
  assert_non_null(strstr(r.out, "\nW =\n"));
  lt_run_free(&r);

  /* a large step: the central differences' own error shows, and the
   * lesson says the checks fail, but it still runs to the end */
  const char *wide[] = {"--step", "0.1", "--hidden", "4", NULL};
  r = lt_run_lecture("coarse", wide, NULL);
  lt_check_succeeded(&r);
  assert_true(lt_contains(r.out, "FAILS"));
  assert_true(lt_contains(r.out, "over all 50 nodes"));  /* 4 hidden units */
  lt_run_free(&r);
}

static void
missing_programs_are_not_fatal(void **state)
{
  (void) state;
  const char *args[] = {"--no-prose", NULL};
  lt_check_missing_programs(args, "mlp-gradient-check", "mlp-graph");
}

int
main(void)
{
  nn_test_init();
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(it_runs_and_prints_the_lesson),
    cmocka_unit_test(every_figure_is_complete_and_valid),
    cmocka_unit_test(the_neuron_passes_a_numerical_check),
    cmocka_unit_test(the_graphs_show_the_checked_gradients),
    cmocka_unit_test(the_mlp_passes_a_numerical_check),
    cmocka_unit_test(the_running_gradients_by_backprop_are_the_partials),
    cmocka_unit_test(the_running_graph_shows_one_points_gradients),
    cmocka_unit_test(the_mlp_graph_fits_a_slide),
    cmocka_unit_test(gradients_through_depth_are_products),
    cmocka_unit_test(dense_backward_is_the_formulas),
    cmocka_unit_test(every_library_gradient_passes_its_check),
    cmocka_unit_test(help_lists_every_knob),
    cmocka_unit_test(bad_values_are_refused_by_name),
    cmocka_unit_test(the_same_seed_gives_the_same_lesson),
    cmocka_unit_test(the_knobs_change_the_lesson),
    cmocka_unit_test(missing_programs_are_not_fatal),
  };
  return cmocka_run_group_tests(tests, setup, lt_teardown);
}
