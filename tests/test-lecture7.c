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
    "## 5. The dense layer's backward pass",
    "## 6. Every gradient in the library, checked",
    "## What to remember",
    "## Figures written",
    NULL,
  };
  lt_check_lesson(r, headings);
  assert_true(lt_contains(r->out, "**topological order**"));
  assert_true(lt_contains(r->out, "dX = dY W"));
  lt_check_terminal_plot(r, "The gradient of the tiny MLP's loss");
}

static void
every_figure_is_complete_and_valid(void **state)
{
  (void) state;
  assert_int_equal(lt_default_run.status, 0);
  static const char *const plots[] = {"mlp-gradient-check", NULL};
  static const char *const graphs[] = {"neuron-graph", "mlp-graph", NULL};
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
  assert_true(lt_relative_error(analytic, numerical, 5) < 1e-7);
  /* the output and its own grad: o = tanh(n), ∂o/∂o = 1 */
  assert_close(rows[9].data, neuron(theta, NULL), 1e-14);
  assert_close(rows[9].grad, 1.0, 0);
  /* every intermediate node: the sum n passes (1 - o²) to x₁w₁, x₂w₂ and b */
  const double o = rows[9].data;
  for (size_t j = 5; j < 9; j++)
    assert_close(rows[j].grad, 1 - o * o, 1e-13);
  /* and the lesson's own numerical column agrees */
  for (size_t j = 0; j < n; j++)
    assert_close(rows[j].numerical, rows[j].grad, 1e-8);

  /* section 1: the chain rule for the first input, do/dw = (1 - o²) x */
  const char *out = lt_find(lt_default_run.out, "## 1. The chain rule");
  double x = lt_printed_after(out, "\nx = "), w = lt_printed_after(out, ", w = ");
  double b = lt_printed_after(out, ", b = ");
  double o1 = tanh(w * x + b);
  assert_close(lt_printed_after(out, "do/dw = do/dn · dn/dw = "), (1 - o1 * o1) * x,
               1e-14);
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
  if (!(err < 1e-7))
    print_error("MLP gradient check: relative error %g\n", err);
  assert_true(err < 1e-7);
  assert_close(rows[n - 1].data, mlp_loss(theta, &tanh_units), 1e-12);
}

static void
the_mlp_passes_a_numerical_check(void **state)
{
  (void) state;
  check_mlp(lt_default_run.out, 0);
  /* the bars: block 0 backpropagation, block 1 numerical, one per parameter,
   * the same numbers as the table's parameters */
  const char *path = lt_path(lt_default_dir(), "mlp-gradient-check", "dat");
  double i0[16], a[16], i1[16], b[16];
  size_t na = lt_read_block(path, 0, i0, a, 16), nb = lt_read_block(path, 1, i1, b, 16);
  assert_int_equal(na, 9);
  assert_int_equal(nb, 9);
  assert_true(lt_relative_error(a, b, 9) < 1e-7);
  node_row rows[64];
  size_t n = read_node_table(lt_default_run.out, 1, rows, 64), p = 0;
  for (size_t k = 0; k < n; k++)
    if (rows[k].leaf && strchr("wbvc", rows[k].label[0]) != NULL) {
      assert_true(p < 9);
      assert_close(a[p], rows[k].grad, 1e-12);
      p++;
    }
  assert_int_equal(p, 9);
  /* and the same network as matrices gives the same gradients */
  assert_true(lt_printed_after(lt_default_run.out,
                               "largest difference from the autograd gradients: ")
              < 1e-12);
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
      assert_close(dY[i * 2 + j], 2 * (y - T[i * 2 + j]) / 8, 1e-13);
    }
  for (size_t i = 0; i < 4; i++)  /* dX = dY W */
    for (size_t k = 0; k < 3; k++) {
      double s = 0;
      for (size_t j = 0; j < 2; j++)
        s += dY[i * 2 + j] * W[j * 3 + k];
      assert_close(dX[i * 3 + k], s, 1e-13);
    }
  for (size_t j = 0; j < 2; j++) {  /* dW = dYᵀ X, db = Σ_b dY */
    double s = 0;
    for (size_t i = 0; i < 4; i++)
      s += dY[i * 2 + j];
    assert_close(db[j], s, 1e-13);
    for (size_t k = 0; k < 3; k++) {
      s = 0;
      for (size_t i = 0; i < 4; i++)
        s += dY[i * 2 + j] * X[i * 3 + k];
      assert_close(dW[j * 3 + k], s, 1e-13);
    }
  }
  /* dW passes a central-difference check of J(W) */
  dense_ctx ctx = {X, b, T};
  double numerical[6];
  central_differences(dense_cost, &ctx, W, 6, numerical);
  assert_true(lt_relative_error(dW, numerical, 6) < 1e-7);
  assert_true(lt_contains(out, "all three pass (below 1e-6)"));
}

static void
every_library_gradient_passes_its_check(void **state)
{
  (void) state;
  const char *s = lt_find(lt_default_run.out, "## 6. Every gradient in the library");
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
