/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check.c: shape and finiteness checks of the sequence modules (see check.h). */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <gsl/gsl_errno.h>

#include "check.h"

int
nn_check_shape(const char *who, const char *name, const gsl_matrix *M, size_t rows,
               size_t cols, const char *why)
{
  if (M == NULL || (M->size1 == rows && M->size2 == cols))
    return GSL_SUCCESS;
  char msg[256];
  snprintf(msg, sizeof msg, "%s: %s is %zux%zu but must be %zux%zu (%s)", who, name,
           M->size1, M->size2, rows, cols, why);
  GSL_ERROR(msg, GSL_EBADLEN);
}

int
nn_check_finite(const char *who, const char *name, const gsl_matrix *M)
{
  if (M == NULL)
    return GSL_SUCCESS;
  for (size_t r = 0; r < M->size1; r++) {
    const double *row = gsl_matrix_const_ptr(M, r, 0);
    for (size_t c = 0; c < M->size2; c++)
      if (!isfinite(row[c])) {
        char msg[192];
        snprintf(msg, sizeof msg, "%s: %s[%zu, %zu] is %g (%s is %zux%zu): inputs must"
                 " be finite", who, name, r, c, row[c], name, M->size1, M->size2);
        GSL_ERROR(msg, GSL_EDOM);
      }
  }
  return GSL_SUCCESS;
}
