/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-train: how fast the library trains, against a plain C loop over
 * the same BLAS calls and, when python3-torch is installed, PyTorch.
 *
 * The model of PyTorch's usual first example: an MLP 784-128-10 with ReLU,
 * softmax cross-entropy, plain SGD with learning rate 0.1, one epoch of
 * Fashion-MNIST's 60,000 training images, one thread, batches of 64 and 256.
 * Times are CPU time of this process (or of the Python process), so a busy
 * machine slows the numbers less than wall time would; they still vary from
 * run to run: compare ratios within one run. Speed is measured here, never
 * asserted in a test.
 *
 *   bench-train [--epochs N] [--limit N] [--torch 'PYTHON SCRIPT'] [--data DIR]
 *
 * It also counts the allocations made during the library's training steps
 * (the goal is none) and reports the peak memory of the process.
 */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_permutation.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include <nn/nn.h>

/* ===== Counting allocations: this program's malloc wraps the C library's ===== */

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
static unsigned long allocations;

void *
malloc(size_t n)
{
  allocations++;
  return __libc_malloc(n);
}

void *
calloc(size_t n, size_t size)
{
  allocations++;
  return __libc_calloc(n, size);
}

void *
realloc(void *p, size_t n)
{
  allocations++;
  return __libc_realloc(p, n);
}

static double
cpu_seconds(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double) ts.tv_sec + 1e-9 * (double) ts.tv_nsec;
}

enum { D = 784, H = 128, K = 10 };

typedef struct {
  double samples_per_s;
  double loss;           /* mean training loss over the epoch */
  double allocs_per_step;
} result;

/* ===== The library ===== */

static result
train_library(const nn_images *set, size_t B, unsigned epochs, unsigned long seed)
{
  const size_t sizes[] = {D, H, K};
  const nn_activation_kind acts[] = {NN_ACTIVATION_RELU, NN_ACTIVATION_IDENTITY};
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, seed);
  nn_network *net = nn_network_alloc(sizes, 3, acts, B);
  nn_network_init(net, r);
  nn_optim_options o = nn_optim_defaults(NN_OPTIM_SGD);
  o.lr = 0.1;
  nn_optim *opt = nn_optim_alloc(NN_OPTIM_SGD, net->params->size, &o);
  gsl_permutation *order = gsl_permutation_alloc(set->n);
  gsl_matrix *X = gsl_matrix_alloc(B, D), *dZ = gsl_matrix_alloc(B, K);
  gsl_vector *y = gsl_vector_alloc(B);
  size_t *labels = malloc(B * sizeof *labels);

  double loss_sum = 0, t0 = cpu_seconds();
  size_t steps = 0, seen = 0;
  const unsigned long allocs0 = allocations;
  for (unsigned e = 0; e < epochs; e++) {
    gsl_permutation_init(order);
    nn_data_shuffle(r, order);
    for (size_t b = 0; b < nn_data_batch_count(set->n, B); b++) {
      size_t rows;
      nn_images_batch(set, order, b, X, y, &rows);
      for (size_t i = 0; i < rows; i++)
        labels[i] = (size_t) gsl_vector_get(y, i);
      gsl_matrix_view Xb = gsl_matrix_submatrix(X, 0, 0, rows, D);
      gsl_matrix_view dZb = gsl_matrix_submatrix(dZ, 0, 0, rows, K);
      double cost;
      nn_network_zero_grad(net);
      nn_network_forward(net, NULL, &Xb.matrix);
      nn_loss_softmax_ce_labels(&cost, NULL, &dZb.matrix, nn_network_output(net), labels);
      nn_network_backward(net, NULL, &dZb.matrix);
      nn_optim_step(opt, net->params, net->grads);
      loss_sum += cost * (double) rows;
      seen += rows;
      steps++;
    }
  }
  const double t = cpu_seconds() - t0;
  result res = {(double) seen / t, loss_sum / (double) seen,
                (double) (allocations - allocs0) / (double) steps};
  free(labels);
  gsl_vector_free(y);
  gsl_matrix_free(X);
  gsl_matrix_free(dZ);
  gsl_permutation_free(order);
  nn_optim_free(opt);
  nn_network_free(net);
  gsl_rng_free(r);
  return res;
}

/* ===== Plain C over the same cblas_dgemm calls ===== */

static result
train_plain(const nn_images *set, size_t B, unsigned epochs, unsigned long seed)
{
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, seed);
  double *W1 = malloc(sizeof(double) * H * D), *b1 = calloc(H, sizeof(double));
  double *W2 = malloc(sizeof(double) * K * H), *b2 = calloc(K, sizeof(double));
  double *dW1 = malloc(sizeof(double) * H * D), *db1 = malloc(sizeof(double) * H);
  double *dW2 = malloc(sizeof(double) * K * H), *db2 = malloc(sizeof(double) * K);
  double *X = malloc(sizeof(double) * B * D), *Z1 = malloc(sizeof(double) * B * H);
  double *Z2 = malloc(sizeof(double) * B * K);
  size_t *lab = malloc(sizeof(size_t) * B);
  for (size_t i = 0; i < (size_t) H * D; i++)
    W1[i] = gsl_ran_gaussian(r, sqrt(2.0 / D));
  for (size_t i = 0; i < (size_t) K * H; i++)
    W2[i] = gsl_ran_gaussian(r, sqrt(2.0 / (H + K)));
  gsl_permutation *order = gsl_permutation_alloc(set->n);
  double loss_sum = 0, t0 = cpu_seconds();
  size_t seen = 0;
  for (unsigned e = 0; e < epochs; e++) {
    gsl_permutation_init(order);
    gsl_ran_shuffle(r, order->data, set->n, sizeof(size_t));
    for (size_t start = 0; start < set->n; start += B) {
      const size_t n = set->n - start < B ? set->n - start : B;
      for (size_t i = 0; i < n; i++) {
        const size_t k = order->data[start + i];
        const unsigned char *px = set->pixels + k * D;
        for (size_t j = 0; j < D; j++)
          X[i * D + j] = px[j] * (1.0 / 255.0);
        lab[i] = set->labels[k];
      }
      /* forward: Z1 = X W1ᵀ + b1, A1 = relu(Z1) in place, Z2 = A1 W2ᵀ + b2 */
      for (size_t i = 0; i < n; i++)
        memcpy(Z1 + i * H, b1, sizeof(double) * H);
      cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int) n, H, D, 1.0, X, D, W1, D,
                  1.0, Z1, H);
      for (size_t i = 0; i < n * H; i++)
        Z1[i] = Z1[i] > 0 ? Z1[i] : 0;
      for (size_t i = 0; i < n; i++)
        memcpy(Z2 + i * K, b2, sizeof(double) * K);
      cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int) n, K, H, 1.0, Z1, H, W2, H,
                  1.0, Z2, K);
      /* softmax cross-entropy: Z2 becomes dZ2 = (softmax − onehot) / n */
      for (size_t i = 0; i < n; i++) {
        double *z = Z2 + i * K, m = z[0], s = 0;
        for (size_t k = 1; k < K; k++)
          m = z[k] > m ? z[k] : m;
        for (size_t k = 0; k < K; k++)
          s += exp(z[k] - m);
        loss_sum += log(s) + m - z[lab[i]];
        for (size_t k = 0; k < K; k++)
          z[k] = (exp(z[k] - m) / s - (k == lab[i])) / (double) n;
      }
      /* backward */
      cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, K, H, (int) n, 1.0, Z2, K, Z1, H,
                  0.0, dW2, H);
      for (size_t k = 0; k < K; k++) {
        double s = 0;
        for (size_t i = 0; i < n; i++)
          s += Z2[i * K + k];
        db2[k] = s;
      }
      /* dA1 = dZ2 W2, masked by relu'(Z1) (A1 > 0), written over Z1 */
      for (size_t i = 0; i < n; i++)
        for (size_t h = 0; h < H; h++) {
          if (Z1[i * H + h] <= 0)
            continue;
          double s = 0;
          for (size_t k = 0; k < K; k++)
            s += Z2[i * K + k] * W2[k * H + h];
          Z1[i * H + h] = s;
        }
      cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, H, D, (int) n, 1.0, Z1, H, X, D,
                  0.0, dW1, D);
      for (size_t h = 0; h < H; h++) {
        double s = 0;
        for (size_t i = 0; i < n; i++)
          s += Z1[i * H + h];
        db1[h] = s;
      }
      /* SGD */
      cblas_daxpy(H * D, -0.1, dW1, 1, W1, 1);
      cblas_daxpy(H, -0.1, db1, 1, b1, 1);
      cblas_daxpy(K * H, -0.1, dW2, 1, W2, 1);
      cblas_daxpy(K, -0.1, db2, 1, b2, 1);
      seen += n;
    }
  }
  const double t = cpu_seconds() - t0;
  result res = {(double) seen / t, loss_sum / (double) seen, 0};
  free(W1); free(b1); free(W2); free(b2); free(dW1); free(db1); free(dW2); free(db2);
  free(X); free(Z1); free(Z2); free(lab);
  gsl_permutation_free(order);
  gsl_rng_free(r);
  return res;
}

/* ===== PyTorch, through its script ===== */

/* Run the command SCRIPT (interpreter and script) for batch B; *f64 and *f32 = samples/s (0 when not run). */
static void
train_torch(const char *script, const char *data, size_t B, unsigned epochs, size_t limit,
            double *f64, double *f32)
{
  *f64 = *f32 = 0;
  if (script == NULL)
    return;
  char cmd[2048];
  snprintf(cmd, sizeof cmd, "%s --batch %zu --epochs %u --limit %zu --data '%s'",
           script, B, epochs, limit, data);
  FILE *p = popen(cmd, "r");
  if (p == NULL)
    return;
  char line[256];
  while (fgets(line, sizeof line, p) != NULL) {
    double v;
    if (sscanf(line, "float64 %lf", &v) == 1)
      *f64 = v;
    else if (sscanf(line, "float32 %lf", &v) == 1)
      *f32 = v;
    else
      fputs(line, stdout);
  }
  pclose(p);
}

static long
peak_mib(void)
{
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss / 1024;
}

int
main(int argc, char **argv)
{
  unsigned epochs = 1;
  size_t limit = 0;
  const char *torch = NULL, *data = NULL;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--epochs") == 0 && i + 1 < argc)
      epochs = (unsigned) strtoul(argv[++i], NULL, 10);
    else if (strcmp(argv[i], "--limit") == 0 && i + 1 < argc)
      limit = strtoul(argv[++i], NULL, 10);
    else if (strcmp(argv[i], "--torch") == 0 && i + 1 < argc)
      torch = argv[++i];
    else if (strcmp(argv[i], "--data") == 0 && i + 1 < argc)
      data = argv[++i];
    else {
      fprintf(stderr, "usage: bench-train [--epochs N] [--limit N] [--torch SCRIPT] "
              "[--data DIR]\n");
      return 2;
    }
  }
  gsl_set_error_handler_off();
  nn_images *set = nn_images_load_fashion(data, 1);
  if (set == NULL) {
    gsl_set_error_handler(NULL);
    nn_images_load_fashion(data, 1);  /* print why, through GSL's handler */
    return 1;
  }
  if (limit > 0 && limit < set->n)
    nn_images_truncate(set, limit);
  printf("bench-train: MLP 784-128-10 (ReLU), softmax cross-entropy, SGD lr 0.1, "
         "%u epoch(s) of %zu Fashion-MNIST images, 1 thread, CPU time\n", epochs, set->n);
  printf("CBLAS: %s; memory after loading: %ld MiB peak\n\n", NN_CBLAS_DESC, peak_mib());
  printf("%5s  %12s  %12s  %12s  %12s  %9s  %9s  %9s  %8s\n", "batch", "library",
         "plain C", "torch f64", "torch f32", "lib/C", "lib/f64", "lib/f32", "allocs");
  const size_t batches[] = {64, 256};
  for (size_t k = 0; k < 2; k++) {
    const size_t B = batches[k];
    result lib = train_library(set, B, epochs, 1);
    result plain = train_plain(set, B, epochs, 1);
    double f64, f32;
    train_torch(torch, data ? data : (getenv("NN_FASHION_MNIST") ? getenv("NN_FASHION_MNIST")
                                                                  : NN_FASHION_MNIST_DIR),
                B, epochs, set->n, &f64, &f32);
    char r64[16] = "-", r32[16] = "-", t64[16] = "-", t32[16] = "-";
    if (f64 > 0) {
      snprintf(t64, sizeof t64, "%.0f", f64);
      snprintf(r64, sizeof r64, "%.2f", lib.samples_per_s / f64);
    }
    if (f32 > 0) {
      snprintf(t32, sizeof t32, "%.0f", f32);
      snprintf(r32, sizeof r32, "%.2f", lib.samples_per_s / f32);
    }
    printf("%5zu  %12.0f  %12.0f  %12s  %12s  %9.2f  %9s  %9s  %8.1f\n", B,
           lib.samples_per_s, plain.samples_per_s, t64, t32,
           lib.samples_per_s / plain.samples_per_s, r64, r32, lib.allocs_per_step);
    printf("       (mean training loss: library %.4f, plain C %.4f)\n", lib.loss, plain.loss);
  }
  printf("\nsamples/s (higher is faster); allocs = allocations per training step of the "
         "library; peak memory %ld MiB\n", peak_mib());
  if (torch == NULL)
    printf("PyTorch not measured: install python3-torch to compare.\n");
  nn_images_free(set);
  return 0;
}
