/* Smoke test of lecture 3 (the forward pass): it runs, prints its lesson,
 * writes figures that gnuplot and dot accept, and the facts of the syllabus
 * hold on what it printed and wrote:
 *
 *   - the forward pass it prints is the one its matrices give, recomputed
 *     here with plain loops;
 *   - softmax sums to 1 and is shift-invariant (on the lecture's numbers,
 *     and on the library's nn_softmax_vector);
 *   - two stacked linear layers equal one (on the printed matrices, and on
 *     the library's network and dense layer);
 *   - a random ReLU network 1 -> H -> 1 is a broken line of at most H kinks;
 *
 * and its command line behaves (help, bad values, seeds). */
#include <config.h>

#include "nntest.h"
#include "lecturetest.h"

#include <stdlib.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_vector.h>
#include <nn/dense.h>
#include <nn/network.h>
#include <nn/softmax.h>

static int
setup(void **state)
{
  (void) state;
  lt_init(3);
  return 0;
}

/* ===== Reading what the lesson printed and wrote ===== */

/* The printed vectors and matrices are read (lt_printed_vector,
 * lt_printed_matrix) into arrays of MAXD entries, matrices MAXD per row. */
enum { MAXD = 8 };

/* The weights drawn in the diagram at PATH: its labelled edges. */
static size_t
labelled_edges(const char *path)
{
  char *dot = lt_read_file(path, NULL);
  assert_non_null(dot);
  size_t weights = 0;
  for (char *line = strtok(dot, "\n"); line != NULL; line = strtok(NULL, "\n"))
    weights += strstr(line, "->") != NULL && strstr(line, "label=") != NULL;
  free(dot);
  return weights;
}

/* ===== The lesson ===== */

static void
it_runs_and_prints_the_lesson(void **state)
{
  (void) state;
  const lt_run *r = &lt_default_run;
  static const char *const headings[] = {
    "# Lecture 3: The forward pass", "## 1. From neurons to layers to a network",
    "## 2. The same network as matrices", "## 3. Softmax",
    "## 4. The whole network as one expression", "## 5. Why activation functions",
    "## 6. Universal approximators", "## What to remember", "## Figures written", NULL,
  };
  lt_check_lesson(r, headings);
  assert_true(lt_contains(r->out, "**shift invariance**"));
  lt_check_terminal_plot(r, "Softmax of five scores at three temperatures");
}

static void
every_figure_is_complete_and_valid(void **state)
{
  (void) state;
  static const char *const plots[] = {"softmax", "random-nets", NULL};
  static const char *const graphs[] = {"network", NULL};
  lt_check_figures(lt_default_dir(), plots, graphs);
  /* the diagram has one labelled edge per weight: 3·4 + 4·3 + 3·2 */
  assert_int_equal(labelled_edges(lt_path(lt_default_dir(), "network", "dot")), 30);
}

/* ===== The mathematics ===== */

static double
relu(double z)
{
  return z > 0 ? z : 0.0;
}

/* p = softmax(z), from the definition, shifted by the largest score. */
static void
softmax(double *p, const double *z, size_t K)
{
  double m = z[0], sum = 0;
  for (size_t k = 1; k < K; k++)
    m = fmax(m, z[k]);
  for (size_t k = 0; k < K; k++)
    sum += p[k] = exp(z[k] - m);
  for (size_t k = 0; k < K; k++)
    p[k] /= sum;
}

/* The example network 3,4,3,2 with ReLU: the forward pass printed in
 * section 2 is the one of its printed matrices, and so are the scores of
 * nn_network_forward, the softmax and the L2 loss of section 4. */
static void
the_forward_pass_is_the_matrices(void **state)
{
  (void) state;
  const char *s = lt_find(lt_default_run.out, "## 2. The same network as matrices");
  double x[MAXD], a[MAXD], z[MAXD];
  size_t n = lt_printed_vector(lt_default_run.out, "input x = (", x, MAXD);
  assert_int_equal(n, 3);
  memcpy(a, x, sizeof x);
  static const size_t sizes[] = {3, 4, 3, 2};
  for (size_t l = 1; l <= 3; l++) {
    char name[64];
    double W[MAXD * MAXD], b[MAXD];
    size_t cols;
    snprintf(name, sizeof name, "W%zu", l);
    assert_int_equal(lt_printed_matrix(s, name, W, MAXD, MAXD, &cols), sizes[l]);
    assert_int_equal(cols, sizes[l - 1]);
    snprintf(name, sizeof name, "\nb%zu = (", l);
    assert_int_equal(lt_printed_vector(s, name, b, MAXD), sizes[l]);
    for (size_t j = 0; j < sizes[l]; j++) {
      z[j] = b[j];
      for (size_t i = 0; i < sizes[l - 1]; i++)
        z[j] += W[j * MAXD + i] * a[i];
    }
    for (size_t j = 0; j < sizes[l]; j++)
      a[j] = l < 3 ? relu(z[j]) : z[j];  /* the last layer keeps its scores */
    /* the printed z_l */
    double zp[MAXD];
    snprintf(name, sizeof name, "\nz%zu = W%zu a%zu + b%zu = (", l, l, l - 1, l);
    assert_int_equal(lt_printed_vector(s, name, zp, MAXD), sizes[l]);
    for (size_t j = 0; j < sizes[l]; j++)
      assert_close(zp[j], z[j], 1e-13);
  }
  double scores[MAXD], p[MAXD], pp[MAXD];
  assert_int_equal(lt_printed_vector(s, "scores from nn_network_forward = (", scores, MAXD),
                   2);
  for (size_t k = 0; k < 2; k++)
    assert_close(scores[k], a[k], 1e-13);
  assert_close(lt_printed_after(s, "layer by layer vs nn_network_forward: largest "
                                   "difference "), 0, 1e-14);
  softmax(p, a, 2);
  assert_int_equal(lt_printed_vector(lt_default_run.out, "p = softmax(z) = (", pp, MAXD),
                   2);
  for (size_t k = 0; k < 2; k++)
    assert_close(pp[k], p[k], 1e-13);
  /* J = ‖ŷ - y‖² with y one-hot for class 1 */
  double J = (p[0] - 1) * (p[0] - 1) + p[1] * p[1];
  const char *four = lt_find(lt_default_run.out, "## 4. The whole network");
  assert_close(lt_printed_after(four, ")² = "), J, 1e-13);
  assert_true(lt_contains(four, "ŷ = softmax(W₃ relu(W₂ relu(W₁ x + b₁) + b₂) + b₃)"));
  const char *mse = lt_find(four, "K · nn_loss_mse = 2 · ")
                    + strlen("K · nn_loss_mse = 2 · ");
  assert_close(lt_printed_after(mse, " = "), J, 1e-13);
}

static void
softmax_sums_to_one_and_is_shift_invariant(void **state)
{
  (void) state;
  const char *out = lt_default_run.out;
  /* the scores shifted by ±1000 give the same probabilities */
  double p[MAXD], q[MAXD];
  size_t K = lt_printed_vector(out, "p = softmax(z) = (", p, MAXD);
  assert_int_equal(K, 2);
  static const char *const shifted[] = {"softmax(z + 1000) = (", "softmax(z - 1000) = ("};
  for (size_t s = 0; s < 2; s++) {
    assert_int_equal(lt_printed_vector(out, shifted[s], q, MAXD), K);
    for (size_t k = 0; k < K; k++)
      assert_close(q[k], p[k], 1e-12);
  }
  /* the figure: softmax(z / T) of the printed scores, each sums to 1 */
  const char *three = lt_find(out, "## 3. Softmax");
  double z[MAXD], zt[MAXD], expected[MAXD], pos[MAXD], bars[MAXD];
  assert_int_equal(lt_printed_vector(three, "\nscores = (", z, MAXD), 5);
  const char *path = lt_path(lt_default_dir(), "softmax", "dat");
  static const double temps[] = {0.5, 1.0, 2.0};
  for (size_t t = 0; t < 3; t++) {
    assert_int_equal(lt_read_block(path, t, pos, bars, MAXD), 5);
    for (size_t k = 0; k < 5; k++)
      zt[k] = z[k] / temps[t];
    softmax(expected, zt, 5);
    double sum = 0;
    for (size_t k = 0; k < 5; k++) {
      assert_close(bars[k], expected[k], 1e-13);
      assert_true(bars[k] > 0);
      sum += bars[k];
    }
    assert_close(sum, 1.0, 1e-13);
  }
  /* the library itself, on scores that would overflow e^z */
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, 2385);
  gsl_vector *v = gsl_vector_alloc(7), *pv = gsl_vector_alloc(7), *qv = gsl_vector_alloc(7);
  for (size_t k = 0; k < 7; k++)
    gsl_vector_set(v, k, 10 * gsl_rng_uniform(rng) - 5);
  assert_int_equal(nn_softmax_vector(pv, v), GSL_SUCCESS);
  static const double shifts[] = {-745.5, 3.7, 2385.0};
  for (size_t s = 0; s < 3; s++) {
    gsl_vector_memcpy(qv, v);
    gsl_vector_add_constant(qv, shifts[s]);
    assert_int_equal(nn_softmax_vector(qv, qv), GSL_SUCCESS);
    double sum = 0;
    for (size_t k = 0; k < 7; k++) {
      assert_close(gsl_vector_get(qv, k), gsl_vector_get(pv, k), 1e-12);
      sum += gsl_vector_get(qv, k);
    }
    assert_close(sum, 1.0, 1e-14);
  }
  gsl_vector_free(v);
  gsl_vector_free(pv);
  gsl_vector_free(qv);
  gsl_rng_free(rng);
}

static void
stacked_linear_layers_equal_one(void **state)
{
  (void) state;
  const char *s = lt_find(lt_default_run.out, "## 5. Why activation functions");
  double W1[MAXD * MAXD], W2[MAXD * MAXD], W[MAXD * MAXD], b1[MAXD], b2[MAXD], b[MAXD];
  size_t c1, c2, c;
  size_t r1 = lt_printed_matrix(s, "W1", W1, MAXD, MAXD, &c1);
  size_t r2 = lt_printed_matrix(s, "W2", W2, MAXD, MAXD, &c2);
  size_t r = lt_printed_matrix(s, "W = W2 W1", W, MAXD, MAXD, &c);
  assert_int_equal(c2, r1);
  assert_int_equal(r, r2);
  assert_int_equal(c, c1);
  assert_int_equal(lt_printed_vector(s, "\nb1 = (", b1, MAXD), r1);
  assert_int_equal(lt_printed_vector(s, "\nb2 = (", b2, MAXD), r2);
  assert_int_equal(lt_printed_vector(s, "\nb = W2 b1 + b2 = (", b, MAXD), r2);
  /* W = W₂ W₁ and b = W₂ b₁ + b₂, entry by entry */
  for (size_t i = 0; i < r2; i++) {
    double bi = b2[i];
    for (size_t k = 0; k < r1; k++)
      bi += W2[i * MAXD + k] * b1[k];
    assert_close(b[i], bi, 1e-13);
    for (size_t j = 0; j < c1; j++) {
      double wij = 0;
      for (size_t k = 0; k < r1; k++)
        wij += W2[i * MAXD + k] * W1[k * MAXD + j];
      assert_close(W[i * MAXD + j], wij, 1e-13);
    }
  }
  assert_true(lt_printed_after(s, "random inputs:\n  largest difference ") < 1e-12);
  assert_true(lt_printed_after(s, "no activation  largest |f((u+v)/2) - (f(u)+f(v))/2| = ")
              < 1e-12);
  assert_true(lt_printed_after(s, "relu           largest |f((u+v)/2) - (f(u)+f(v))/2| = ")
              > 1e-3);

  /* The library: a network of two identity layers is the dense layer of
   * W₂ W₁ and W₂ b₁ + b₂, on a batch of inputs. */
  enum { B = 9, N0 = 4, N1 = 6, N2 = 3 };
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, 77);
  const size_t sizes[] = {N0, N1, N2};
  const nn_activation_kind acts[] = {NN_ACTIVATION_IDENTITY, NN_ACTIVATION_IDENTITY};
  nn_network *net = nn_network_alloc(sizes, 3, acts, B);
  assert_non_null(net);
  for (size_t k = 0; k < net->params->size; k++)
    gsl_vector_set(net->params, k, 4 * gsl_rng_uniform(rng) - 2);
  gsl_vector *params = gsl_vector_alloc(nn_dense_n_params(N0, N2));
  gsl_vector *grads = gsl_vector_calloc(params->size);
  nn_dense *one = nn_dense_alloc(N0, N2, B, params, grads);
  assert_non_null(one);
  const gsl_matrix *LW1 = nn_network_W(net, 0), *LW2 = nn_network_W(net, 1);
  const gsl_vector *Lb1 = nn_network_b(net, 0), *Lb2 = nn_network_b(net, 1);
  for (size_t i = 0; i < N2; i++) {
    double bi = gsl_vector_get(Lb2, i);
    for (size_t k = 0; k < N1; k++)
      bi += gsl_matrix_get(LW2, i, k) * gsl_vector_get(Lb1, k);
    gsl_vector_set(&one->b.vector, i, bi);
    for (size_t j = 0; j < N0; j++) {
      double wij = 0;
      for (size_t k = 0; k < N1; k++)
        wij += gsl_matrix_get(LW2, i, k) * gsl_matrix_get(LW1, k, j);
      gsl_matrix_set(&one->W.matrix, i, j, wij);
    }
  }
  gsl_matrix *X = gsl_matrix_alloc(B, N0), *Y2 = gsl_matrix_alloc(B, N2);
  gsl_matrix *Y1 = gsl_matrix_alloc(B, N2);
  for (size_t i = 0; i < B; i++)
    for (size_t j = 0; j < N0; j++)
      gsl_matrix_set(X, i, j, 6 * gsl_rng_uniform(rng) - 3);
  assert_int_equal(nn_network_forward(net, Y2, X), GSL_SUCCESS);
  assert_int_equal(nn_dense_forward(one, Y1, X), GSL_SUCCESS);
  for (size_t i = 0; i < B; i++)
    for (size_t k = 0; k < N2; k++)
      assert_close(gsl_matrix_get(Y2, i, k), gsl_matrix_get(Y1, i, k), 1e-12);
  gsl_matrix_free(X);
  gsl_matrix_free(Y1);
  gsl_matrix_free(Y2);
  nn_dense_free(one);
  gsl_vector_free(params);
  gsl_vector_free(grads);
  nn_network_free(net);
  gsl_rng_free(rng);
}

/* f(x) = Σ v_j relu(w_j x + b_j) is a broken line with at most H kinks:
 * its second differences on the grid vanish but next to at most H points. */
static void
random_relu_nets_are_broken_lines(void **state)
{
  (void) state;
  const char *path = lt_path(lt_default_dir(), "random-nets", "dat");
  static const size_t widths[] = {1, 2, 4, 16, 128};
  static double x[700], y[700];
  const char *table = lt_find(lt_default_run.out, "  H      turning points\n");
  for (size_t k = 0; k < 5; k++) {
    size_t n = lt_read_block(path, k, x, y, 700);
    assert_int_equal(n, 601);
    double top = 0;
    for (size_t i = 0; i < n; i++)
      top = fmax(top, fabs(y[i]));
    assert_close(top, 1.0, 1e-12);  /* scaled to reach ±1 */
    size_t kinks = 0;
    int in_kink = 0;
    const double dx = x[1] - x[0];
    for (size_t i = 1; i + 1 < n; i++) {
      double second = y[i + 1] - 2 * y[i] + y[i - 1];
      int bent = fabs(second) > 1e-9;
      assert_close(x[i + 1] - x[i], dx, 1e-9);
      kinks += bent && !in_kink;  /* a kink bends one or two neighbouring points */
      in_kink = bent;
    }
    if (kinks > widths[k])
      fail_msg("the random ReLU net with %zu units has %zu kinks", widths[k], kinks);
    /* a turning point needs a kink; the printed count */
    char row[32];
    snprintf(row, sizeof row, "\n  %-6zu ", widths[k]);
    double turns = lt_printed_after(table - 1, row);
    assert_true(turns >= 0 && turns <= (double) kinks);
  }
}

/* ===== The command line ===== */

static void
help_lists_every_knob(void **state)
{
  (void) state;
  static const char *const knobs[] = {
    "--sizes TEXT", "--activation relu|sigmoid|tanh|leaky_relu|step|identity",
    "--widths TEXT", "(default 3,4,3,2)", "(default relu)", "(default 1,2,4,16,128)",
    "--seed N", "--out DIR", "(default out/lecture3)", NULL,
  };
  lt_check_help(knobs);
}

static void
bad_values_are_refused_by_name(void **state)
{
  (void) state;
  static const char *const cases[][5] = {
    {"--sizes", "3,x", NULL, "--sizes", "'3,x'"},
    {"--sizes", "3,4", NULL, "--sizes", "at least 3 sizes"},
    {"--sizes", "3,4,1", NULL, "--sizes", "at least 2 outputs"},
    {"--sizes", "3,9,2", NULL, "--sizes", "from 1 to 8"},
    {"--sizes", "1,2,2,2,2,2,2", NULL, "--sizes", "up to 6"},
    {"--widths", "0", NULL, "--widths", "'0'"},
    {"--widths", "4,,5", NULL, "--widths", "'4,,5'"},
    {"--activation", "softplus", NULL, "--activation", "softplus"},
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++)
    lt_check_refused(cases[k], cases[k][3], cases[k][4]);
}

static void
the_same_seed_gives_the_same_lesson(void **state)
{
  (void) state;
  lt_check_seed_determines_the_lesson();
  /* and the same figures */
  static const char *const files[] = {"network.dot", "softmax.dat", "random-nets.dat",
                                      NULL};
  lt_check_seed_determines_the_files(files);
}

static void
the_knobs_change_the_network(void **state)
{
  (void) state;
  const char *args[] = {"--sizes", "2,5,3", "--activation", "identity",
                        "--widths", "3,30", "--no-prose", NULL};
  lt_run r = lt_run_lecture("knobs", args, NULL);
  lt_check_succeeded(&r);
  /* 2·5 + 5 + 5·3 + 3 parameters */
  assert_true(lt_contains(r.out, "layer 2: 5 inputs -> 3 neurons (no activation: scores)"));
  assert_close(lt_printed_after(r.out, "parameters in all: "), 33, 0);
  /* identity is no activation: both networks pass the midpoint test */
  assert_true(lt_printed_after(r.out, "identity       largest |f((u+v)/2) - (f(u)+f(v))/2| = ")
              < 1e-12);
  /* random nets without activation are straight lines: no turning point */
  assert_true(lt_contains(r.out, "\n  3      0\n  30     0\n"));
  assert_int_equal(labelled_edges(lt_path(lt_dir("knobs"), "network", "dot")),
                   2 * 5 + 5 * 3);
  lt_run_free(&r);
}

static void
missing_programs_are_not_fatal(void **state)
{
  (void) state;
  lt_check_missing_programs(NULL, "random-nets", "network");
}

int
main(void)
{
  nn_test_init();
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(it_runs_and_prints_the_lesson),
    cmocka_unit_test(every_figure_is_complete_and_valid),
    cmocka_unit_test(the_forward_pass_is_the_matrices),
    cmocka_unit_test(softmax_sums_to_one_and_is_shift_invariant),
    cmocka_unit_test(stacked_linear_layers_equal_one),
    cmocka_unit_test(random_relu_nets_are_broken_lines),
    cmocka_unit_test(help_lists_every_knob),
    cmocka_unit_test(bad_values_are_refused_by_name),
    cmocka_unit_test(the_same_seed_gives_the_same_lesson),
    cmocka_unit_test(the_knobs_change_the_network),
    cmocka_unit_test(missing_programs_are_not_fatal),
  };
  return cmocka_run_group_tests(tests, setup, lt_teardown);
}
