/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hooks.c: what exercise 1's table of calls cannot say by itself. */
#ifdef NNG_PROBE_SIDE

/* ex1_central_difference on the function of KIND with parameters P. */
static int
central_difference(int64_t kind, const gsl_vector *p, double x, double h,
                   double *result, int *evaluations)
{
  if (nng_fn_check(kind, p) != 0)
    return NNG_PROBE_BAD_REQUEST;
  nng_fn fn = {kind, p, 0};
  gsl_function f = {nng_fn_eval, &fn};
  int status = ex1_central_difference(&f, x, h, result);
  *evaluations = (int) fn.evaluations;
  return status;
}

#endif
