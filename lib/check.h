/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check.h: the input checks that the sequence modules (nn/rnn.h,
 * nn/attention.h) share (internal, not installed).
 *
 * Both report through GSL_ERROR with the caller's name, the matrix's name and
 * its shape, and return the status; they accept NULL for an optional input.
 */
#ifndef NN_CHECK_H
#define NN_CHECK_H

#include <stddef.h>
#include <gsl/gsl_matrix.h>

#ifndef NN_INTERNAL
/* Internal symbols of the shared library: callable from its own modules,
 * invisible to programs that link it (as in spawn.h). */
#define NN_INTERNAL __attribute__((visibility("hidden")))
#endif

/* GSL_EBADLEN, "who: name is 3x4 but must be 3x5 (why)", unless M is NULL
 * or rows x cols. */
NN_INTERNAL int nn_check_shape(const char *who, const char *name, const gsl_matrix *M,
                               size_t rows, size_t cols, const char *why);

/* GSL_EDOM, "who: name[r, c] is nan (name is 3x4): inputs must be finite",
 * for the first entry of M that is NaN or infinite; success for NULL. */
NN_INTERNAL int nn_check_finite(const char *who, const char *name, const gsl_matrix *M);

#endif /* NN_CHECK_H */
