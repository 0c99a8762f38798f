/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Smoke test of lecture 3 (the forward pass): it runs, prints its lesson,
 * writes figures that gnuplot and dot accept, and the facts of the syllabus
 * hold on what it printed and wrote:
 *
 *   - the forward pass it prints is the one its matrices give, recomputed
 *     here with plain loops;
 *   - softmax sums to 1 and is shift-invariant (on the lecture's numbers,
 *     and on the library's nn_softmax_vector);
 *   - the worked example is not mostly zeros: each hidden layer has at most
 *     one neuron with z <= 0, and a = relu(z) for every neuron printed;
 *   - two stacked linear layers equal one (on the printed matrices, and on
 *     the library's network and dense layer);
 *   - a random-feature network 1 -> H -> 1 with ReLU units is a broken line
 *     of at most H kinks; its output layer is a least-squares fit, so the
 *     residual sums to zero and a wider (nested) layer never fits worse;
 *   - the hand-set 2-2-1 sigmoid network computes XOR at the corners and
 *     classifies the 20 points as its formula says, and --scale 1 breaks it;
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

/* Numbers the lesson computes are printed to 6 significant digits or more:
 * a printed number agrees with its value to this relative tolerance. */
#define PRINTED 1e-5

/* The runs with other knobs read the data and scripts a lecture writes, not
 * its pictures: drawing them is skipped, which keeps the test fast. */
static const char *const no_drawing[] = {"NN_GNUPLOT=/nonexistent", "NN_DOT=/nonexistent",
                                         NULL};

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
    "## 6. Universal approximators", "## 7. The running problem", "## What to remember",
    "## Check yourself", "## Figures written", NULL,
  };
  lt_check_lesson(r, headings);
  assert_true(lt_contains(r->out, "**shift invariance**"));
  /* the dense layer is introduced by name, with the exercise that asks for it */
  assert_true(lt_contains(r->out, "**dense** layer"));
  assert_true(lt_contains(r->out, "ex3_dense_forward"));
  assert_true(lt_contains(r->out, "make exercise3"));
  lt_check_terminal_plot(r, "Softmax of five scores at three temperatures");
}

static void
every_figure_is_complete_and_valid(void **state)
{
  (void) state;
  static const char *const plots[] = {"softmax", "random-features-fit",
                                      "approximation-error", "xor-decision-map", NULL};
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

static double
sigmoid(double z)
{
  return 1.0 / (1.0 + exp(-z));
}

/* Section 1 prints every hidden neuron as "neuron j: z = Z, a = relu(z) = A":
 * a = relu(z), and no hidden layer of the worked example has more than one
 * neuron with z <= 0 (it would be mostly zeros); the diagram shows both. */
static void
the_worked_example_is_not_mostly_zeros(void **state)
{
  (void) state;
  const char *s = lt_find(lt_default_run.out, "## 1. From neurons to layers");
  const char *end = lt_find(s, "## 2. The same network");
  static const size_t hidden[] = {4, 3};
  for (size_t l = 0; l < 2; l++) {
    char head[32];
    snprintf(head, sizeof head, "\nlayer %zu:\n", l + 1);
    const char *at = lt_find(s, head);
    size_t off = 0;
    for (size_t j = 0; j < hidden[l]; j++) {
      char row[64];
      snprintf(row, sizeof row, "  neuron %zu: z = ", j + 1);
      at = lt_find(at, row);
      assert_true(at < end);
      double z = lt_printed_after(at, row);
      double a = lt_printed_after(at, "a = relu(z) = ");
      assert_close(a, relu(z), PRINTED);
      off += z <= 0;
    }
    if (off > 1)
      fail_msg("hidden layer %zu has %zu neurons with z <= 0", l + 1, off);
  }
  char *dot = lt_read_file(lt_path(lt_default_dir(), "network", "dot"), NULL);
  assert_non_null(dot);
  assert_true(lt_contains(dot, "z = ") && lt_contains(dot, "a = "));
  free(dot);
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
      assert_close(zp[j], z[j], PRINTED);
  }
  double scores[MAXD], p[MAXD], pp[MAXD];
  assert_int_equal(lt_printed_vector(s, "scores from nn_network_forward = (", scores, MAXD),
                   2);
  for (size_t k = 0; k < 2; k++)
    assert_close(scores[k], a[k], PRINTED);
  assert_close(lt_printed_after(s, "layer by layer vs nn_network_forward: largest "
                                   "difference "), 0, 1e-14);
  softmax(p, a, 2);
  assert_int_equal(lt_printed_vector(lt_default_run.out, "p = softmax(z) = (", pp, MAXD),
                   2);
  for (size_t k = 0; k < 2; k++)
    assert_close(pp[k], p[k], PRINTED);
  /* J = ‖ŷ - y‖² with y one-hot for class 1 */
  double J = (p[0] - 1) * (p[0] - 1) + p[1] * p[1];
  const char *four = lt_find(lt_default_run.out, "## 4. The whole network");
  assert_close(lt_printed_after(four, ")² = "), J, PRINTED);
  assert_true(lt_contains(four, "ŷ = softmax(W₃ relu(W₂ relu(W₁ x + b₁) + b₂) + b₃)"));
  const char *mse = lt_find(four, "K · nn_loss_mse = 2 · ")
                    + strlen("K · nn_loss_mse = 2 · ");
  assert_close(lt_printed_after(mse, " = "), J, PRINTED);
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
      assert_close(q[k], p[k], PRINTED);
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
    assert_close(b[i], bi, PRINTED);
    for (size_t j = 0; j < c1; j++) {
      double wij = 0;
      for (size_t k = 0; k < r1; k++)
        wij += W2[i * MAXD + k] * W1[k * MAXD + j];
      assert_close(W[i * MAXD + j], wij, PRINTED);
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

/* The random-feature networks of section 6. The figure holds the target
 * (block 0) and the fits of the narrowest, a middle and the widest network
 * (blocks 1 to 3): each fit c + Σ v_j relu(w_j x + b_j) is a broken line
 * with at most H kinks (its second differences vanish but next to at most H
 * points); it is a least-squares fit with a constant term, so its residuals
 * sum to zero; its printed RMS error is its own. The narrower networks use
 * the first units of the wider ones, so the best fit never gets worse as H
 * grows, and the widest fits far better than one unit. */
static double
target(double x)
{
  return sin(2 * x) + 0.5 * cos(3 * x);
}

static void
random_feature_fits_improve_with_width(void **state)
{
  (void) state;
  const char *path = lt_path(lt_default_dir(), "random-features-fit", "dat");
  static const size_t widths[] = {1, 2, 4, 8, 16, 32, 64, 128};
  static const size_t shown[] = {1, 16, 128};
  static double x[700], y[700], t[700];
  const char *table = lt_find(lt_default_run.out, "  H      RMS error    largest |f - f*|\n");
  double printed[8];
  for (size_t k = 0; k < 8; k++) {
    char row[32];
    snprintf(row, sizeof row, "\n  %-6zu ", widths[k]);
    printed[k] = lt_printed_after(table - 1, row);
    if (k > 0 && printed[k] > printed[k - 1])
      fail_msg("H = %zu fits worse (%g) than H = %zu (%g)", widths[k], printed[k],
               widths[k - 1], printed[k - 1]);
  }
  assert_true(printed[7] < printed[0] / 10);
  assert_int_equal(lt_read_block(path, 0, x, t, 700), 601);
  for (size_t i = 0; i < 601; i++)
    assert_close(t[i], target(x[i]), 1e-12);
  for (size_t k = 0; k < 3; k++) {
    size_t n = lt_read_block(path, k + 1, x, y, 700);
    assert_int_equal(n, 601);
    size_t kinks = 0;
    int in_kink = 0;
    const double dx = x[1] - x[0];
    double sum = 0, sq = 0;
    for (size_t i = 0; i < n; i++) {
      sum += y[i] - t[i];
      sq += (y[i] - t[i]) * (y[i] - t[i]);
    }
    for (size_t i = 1; i + 1 < n; i++) {
      double second = y[i + 1] - 2 * y[i] + y[i - 1];
      int bent = fabs(second) > 1e-9;
      assert_close(x[i + 1] - x[i], dx, 1e-9);
      kinks += bent && !in_kink;  /* a kink bends one or two neighbouring points */
      in_kink = bent;
    }
    if (kinks > shown[k])
      fail_msg("the ReLU network with %zu units has %zu kinks", shown[k], kinks);
    assert_true(fabs(sum / (double) n) < 1e-9);
    size_t row = k == 0 ? 0 : k == 1 ? 4 : 7;
    assert_close(printed[row], sqrt(sq / (double) n), 5e-3);  /* printed with 3 digits */
  }
}

/* Section 7: the hand-set network of size k, from its formula. */
static double
xor_net(double k, double x1, double x2, double *h1, double *h2)
{
  *h1 = sigmoid(k * x1 + k * x2 - 0.5 * k);
  *h2 = sigmoid(-k * x1 - k * x2 + 1.5 * k);
  return sigmoid(k * *h1 + k * *h2 - 1.5 * k);
}

/* The accuracy of the network of size k on the points of the decision map
 * in DIR (blocks 1 and 2: class 0 and class 1); *n receives their number. */
static double
xor_accuracy(const char *dir, double k, size_t *n)
{
  const char *path = lt_path(dir, "xor-decision-map", "dat");
  double x1[64], x2[64], h1, h2;
  size_t right = 0;
  *n = 0;
  for (int cls = 0; cls <= 1; cls++) {
    size_t m = lt_read_block(path, (size_t) cls + 1, x1, x2, 64);
    for (size_t i = 0; i < m; i++)
      right += (xor_net(k, x1[i], x2[i], &h1, &h2) > 0.5) == cls;
    *n += m;
  }
  return (double) right / (double) *n;
}

static void
the_hand_set_network_computes_xor(void **state)
{
  (void) state;
  const char *s = lt_find(lt_default_run.out, "## 7. The running problem");
  static const char *const rows[] = {"\n  0    0     ", "\n  0    1     ",
                                     "\n  1    0     ", "\n  1    1     "};
  for (int c = 0; c < 4; c++) {
    double x1 = c / 2, x2 = c % 2, h1, h2;
    double yhat = xor_net(10, x1, x2, &h1, &h2);
    /* the row: a_1 h_1 a_2 h_2 z ŷ XOR */
    const char *at = lt_find(s, rows[c]) + strlen(rows[c]);
    double v[7];
    for (int k = 0; k < 7; k++)
      v[k] = strtod(at, (char **) &at);
    assert_close(v[0], 10 * x1 + 10 * x2 - 5, PRINTED);
    assert_close(v[1], h1, PRINTED);
    assert_close(v[3], h2, PRINTED);
    assert_close(v[5], yhat, PRINTED);
    assert_int_equal((int) v[6], (int) x1 ^ (int) x2);
    /* OR, NAND and XOR, within 0.01 */
    assert_true(fabs(h1 - (double) ((int) x1 | (int) x2)) < 0.01);
    assert_true(fabs(h2 - (double) !((int) x1 & (int) x2)) < 0.01);
    assert_true(fabs(yhat - (double) ((int) x1 ^ (int) x2)) < 0.01);
  }
  size_t n;
  double acc = xor_accuracy(lt_default_dir(), 10, &n);
  assert_int_equal(n, 20);
  assert_close(acc, 1.0, 0);
  assert_close(lt_printed_after(s, "accuracy "), acc, PRINTED);
  /* the map is ŷ of the formula */
  double gx[7000], gy[7000], gz[7000], h1, h2;
  size_t m = lt_read_block3(lt_path(lt_default_dir(), "xor-decision-map", "dat"), 0, gx,
                            gy, gz, 7000);
  assert_int_equal(m, 81 * 81);
  for (size_t i = 0; i < m; i += 97)
    assert_close(gz[i], xor_net(10, gx[i], gy[i], &h1, &h2), 1e-12);
}

static void
small_weights_break_the_xor_network(void **state)
{
  (void) state;
  const char *args[] = {"--scale", "1", "--no-prose", NULL};
  lt_run r = lt_run_lecture("scale", args, no_drawing);
  lt_check_succeeded(&r);
  size_t n;
  double acc = xor_accuracy(lt_dir("scale"), 1, &n);
  assert_int_equal(n, 20);
  /* with k = 1, (0,1) and (1,0) give h_1 + h_2 = 2σ(1/2) < 3/2: called 0 */
  assert_true(acc <= 0.5 + 1e-12);
  assert_close(lt_printed_after(lt_find(r.out, "## 7. The running problem"), "accuracy "),
               acc, PRINTED);
  lt_run_free(&r);
}

/* ===== The command line ===== */

static void
help_lists_every_knob(void **state)
{
  (void) state;
  static const char *const knobs[] = {
    "--sizes TEXT", "--activation relu|sigmoid|tanh|leaky_relu|step|identity",
    "--widths TEXT", "(default 3,4,3,2)", "(default relu)",
    "(default 1,2,4,8,16,32,64,128)", "--scale X", "--running-sd X",
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
    {"--widths", "301", NULL, "--widths", "'301'"},
    {"--scale", "-1", NULL, "--scale", "-1"},
    {"--running-sd", "2", NULL, "--running-sd", "2"},
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
  static const char *const files[] = {"network.dot", "softmax.dat",
                                      "random-features-fit.dat", NULL};
  lt_check_seed_determines_the_files(files);
}

static void
the_knobs_change_the_network(void **state)
{
  (void) state;
  const char *args[] = {"--sizes", "2,5,3", "--activation", "identity",
                        "--widths", "3,30", "--no-prose", NULL};
  lt_run r = lt_run_lecture("knobs", args, no_drawing);
  lt_check_succeeded(&r);
  /* 2·5 + 5 + 5·3 + 3 parameters */
  assert_true(lt_contains(r.out, "layer 2: 5 inputs -> 3 neurons (no activation: scores)"));
  assert_close(lt_printed_after(r.out, "parameters in all: "), 33, 0);
  /* identity is no activation: both networks pass the midpoint test */
  assert_true(lt_printed_after(r.out, "identity       largest |f((u+v)/2) - (f(u)+f(v))/2| = ")
              < 1e-12);
  /* without activation every hidden unit is a multiple of x plus a
   * constant: the best fit is the least-squares line, whatever H */
  const char *table = lt_find(r.out, "  H      RMS error");
  double e3 = lt_printed_after(table, "\n  3      "), e30 = lt_printed_after(table, "\n  30     ");
  assert_true(e3 > 0.1);
  assert_close(e30, e3, 1e-12);
  assert_int_equal(labelled_edges(lt_path(lt_dir("knobs"), "network", "dot")),
                   2 * 5 + 5 * 3);
  lt_run_free(&r);
}

static void
missing_programs_are_not_fatal(void **state)
{
  (void) state;
  lt_check_missing_programs(NULL, "random-features-fit", "network");
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
    cmocka_unit_test(the_worked_example_is_not_mostly_zeros),
    cmocka_unit_test(random_feature_fits_improve_with_width),
    cmocka_unit_test(the_hand_set_network_computes_xor),
    cmocka_unit_test(small_weights_break_the_xor_network),
    cmocka_unit_test(help_lists_every_knob),
    cmocka_unit_test(bad_values_are_refused_by_name),
    cmocka_unit_test(the_same_seed_gives_the_same_lesson),
    cmocka_unit_test(the_knobs_change_the_network),
    cmocka_unit_test(missing_programs_are_not_fatal),
  };
  return cmocka_run_group_tests(tests, setup, lt_teardown);
}
