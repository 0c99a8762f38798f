/* SPDX-License-Identifier: GPL-3.0-or-later */
/* train.c: predictions, accuracy, the confusion matrix, the L2 penalty and
 * early stopping (see nn/train.h). */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>

#include <nn/train.h>

/* The class of one row of scores y (K entries). */
static size_t
row_class(const double *y, size_t K)
{
  if (K == 1)
    return y[0] > 0.5;
  size_t best = 0;
  for (size_t k = 1; k < K; k++)
    if (y[k] > y[best])
      best = k;
  return best;
}

int
nn_train_argmax(const gsl_matrix *Y, gsl_vector *classes)
{
  if (Y == NULL || classes == NULL)
    GSL_ERROR("nn_train_argmax: Y and classes must not be NULL", GSL_EINVAL);
  if (classes->size != Y->size1) {
    char msg[160];
    snprintf(msg, sizeof msg, "nn_train_argmax: Y has %zu rows but classes has %zu entries",
             Y->size1, classes->size);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  for (size_t b = 0; b < Y->size1; b++)
    gsl_vector_set(classes, b, (double) row_class(gsl_matrix_const_ptr(Y, b, 0), Y->size2));
  return GSL_SUCCESS;
}

int
nn_train_predict(nn_network *net, const gsl_matrix *X, gsl_vector *classes)
{
  if (net == NULL || X == NULL || classes == NULL)
    GSL_ERROR("nn_train_predict: net, X and classes must not be NULL", GSL_EINVAL);
  if (X->size1 != classes->size || X->size2 != net->sizes[0]) {
    char msg[192];
    snprintf(msg, sizeof msg,
             "nn_train_predict: X is %zux%zu and classes has %zu entries, but the network "
             "takes %zu inputs and classes needs one entry per row of X",
             X->size1, X->size2, classes->size, net->sizes[0]);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  for (size_t start = 0; start < X->size1; start += net->max_batch) {
    const size_t rows = X->size1 - start < net->max_batch ? X->size1 - start : net->max_batch;
    gsl_matrix_const_view Xb = gsl_matrix_const_submatrix(X, start, 0, rows, X->size2);
    gsl_vector_view cb = gsl_vector_subvector(classes, start, rows);
    int s = nn_network_forward(net, NULL, &Xb.matrix);
    if (s == GSL_SUCCESS)
      s = nn_train_argmax(nn_network_output(net), &cb.vector);
    if (s != GSL_SUCCESS)
      return s;
  }
  return GSL_SUCCESS;
}

int
nn_train_accuracy(nn_network *net, const gsl_matrix *X, const gsl_vector *labels,
                  double *accuracy)
{
  if (net == NULL || X == NULL || labels == NULL || accuracy == NULL)
    GSL_ERROR("nn_train_accuracy: no argument may be NULL", GSL_EINVAL);
  if (labels->size != X->size1 || X->size1 == 0) {
    char msg[160];
    snprintf(msg, sizeof msg,
             "nn_train_accuracy: X has %zu rows and labels %zu entries: they must agree "
             "and not be 0", X->size1, labels->size);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  size_t right = 0;
  for (size_t start = 0; start < X->size1; start += net->max_batch) {
    const size_t rows = X->size1 - start < net->max_batch ? X->size1 - start : net->max_batch;
    gsl_matrix_const_view Xb = gsl_matrix_const_submatrix(X, start, 0, rows, X->size2);
    int s = nn_network_forward(net, NULL, &Xb.matrix);
    if (s != GSL_SUCCESS)
      return s;
    const gsl_matrix *Y = nn_network_output(net);
    for (size_t i = 0; i < rows; i++)
      right += (double) row_class(gsl_matrix_const_ptr(Y, i, 0), Y->size2)
               == gsl_vector_get(labels, start + i);
  }
  *accuracy = (double) right / (double) X->size1;
  return GSL_SUCCESS;
}

/* The class in v[i] as an index below K; GSL_EDOM naming it otherwise. */
static int
class_index(const char *who, const char *name, const gsl_vector *v, size_t i, size_t K,
            size_t *k)
{
  const double c = gsl_vector_get(v, i);
  if (!(c >= 0 && c < (double) K && c == floor(c))) {
    char msg[192];
    snprintf(msg, sizeof msg, "%s: %s[%zu] = %g is not a class in 0 .. %zu", who, name, i,
             c, K - 1);
    GSL_ERROR(msg, GSL_EDOM);
  }
  *k = (size_t) c;
  return GSL_SUCCESS;
}

int
nn_train_confusion(const gsl_vector *truth, const gsl_vector *predicted, gsl_matrix *C)
{
  const char *who = "nn_train_confusion";
  if (truth == NULL || predicted == NULL || C == NULL)
    GSL_ERROR("nn_train_confusion: truth, predicted and C must not be NULL", GSL_EINVAL);
  if (truth->size != predicted->size || C->size1 != C->size2) {
    char msg[192];
    snprintf(msg, sizeof msg, "%s: truth has %zu entries, predicted %zu and C is %zux%zu: "
             "the first two must agree and C be square", who, truth->size, predicted->size,
             C->size1, C->size2);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  const size_t K = C->size1;
  /* Check every label before counting, so that C is left alone on error. */
  for (size_t i = 0; i < truth->size; i++) {
    size_t a, b;
    int s = class_index(who, "truth", truth, i, K, &a);
    if (s == GSL_SUCCESS)
      s = class_index(who, "predicted", predicted, i, K, &b);
    if (s != GSL_SUCCESS)
      return s;
  }
  gsl_matrix_set_zero(C);
  for (size_t i = 0; i < truth->size; i++) {
    const size_t a = (size_t) gsl_vector_get(truth, i), b = (size_t) gsl_vector_get(predicted, i);
    *gsl_matrix_ptr(C, a, b) += 1;
  }
  return GSL_SUCCESS;
}

int
nn_train_l2_penalty(const gsl_vector *theta, double lambda, gsl_vector *grads,
                    double *penalty)
{
  if (theta == NULL)
    GSL_ERROR("nn_train_l2_penalty: theta must not be NULL", GSL_EINVAL);
  if (!(lambda >= 0 && isfinite(lambda))) {
    char msg[128];
    snprintf(msg, sizeof msg, "nn_train_l2_penalty: lambda = %g must be finite and >= 0",
             lambda);
    GSL_ERROR(msg, GSL_EDOM);
  }
  if (grads != NULL && grads->size != theta->size) {
    char msg[128];
    snprintf(msg, sizeof msg, "nn_train_l2_penalty: theta has %zu entries but grads %zu",
             theta->size, grads->size);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  if (penalty != NULL) {
    const double norm = gsl_blas_dnrm2(theta);
    *penalty = 0.5 * lambda * norm * norm;
  }
  if (grads != NULL)
    gsl_blas_daxpy(lambda, theta, grads);
  return GSL_SUCCESS;
}

int
nn_early_stop_init(nn_early_stop *es, unsigned patience, double min_delta)
{
  if (es == NULL)
    GSL_ERROR("nn_early_stop_init: es must not be NULL", GSL_EINVAL);
  if (patience == 0 || !(min_delta >= 0 && isfinite(min_delta))) {
    char msg[160];
    snprintf(msg, sizeof msg, "nn_early_stop_init: patience = %u must be >= 1 and "
             "min_delta = %g finite and >= 0", patience, min_delta);
    GSL_ERROR(msg, GSL_EDOM);
  }
  *es = (nn_early_stop) {patience, min_delta, INFINITY, -1, 0, 0};
  return GSL_SUCCESS;
}

int
nn_early_stop_update(nn_early_stop *es, long epoch, double dev_loss, int *is_best)
{
  if (is_best != NULL)
    *is_best = 0;
  if (es == NULL)
    GSL_ERROR("nn_early_stop_update: es must not be NULL", GSL_EINVAL);
  if (isnan(dev_loss)) {
    es->stop = 1;
    char msg[128];
    snprintf(msg, sizeof msg, "nn_early_stop_update: the dev loss of epoch %ld is not a "
             "number: training diverged", epoch);
    GSL_ERROR(msg, GSL_EDOM);
  }
  if (dev_loss < es->best - es->min_delta) {
    es->best = dev_loss;
    es->best_epoch = epoch;
    es->waited = 0;
    if (is_best != NULL)
      *is_best = 1;
    return GSL_SUCCESS;
  }
  if (++es->waited >= es->patience)
    es->stop = 1;
  return GSL_SUCCESS;
}
