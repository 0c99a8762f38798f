/* SPDX-License-Identifier: GPL-3.0-or-later */
/* probe-ex05.c: the probe's side of exercise 5 (see calls-ex05.h).
 *
 * Unpacks the arguments, calls the student's function, packs the status and
 * the outputs. Nothing here judges the answer. The functions of a descent
 * are written out here with the very expressions of the nncourse library
 * (lib/descent.c), which the probe does not link: the grader's expected
 * trajectories come from the library, and the same arithmetic gives the
 * same numbers.
 */
#include <config.h>

#include <math.h>

#include "exercise5.h"
#include "calls-ex05.h"
#include "probe.h"

/* The function a descent is asked to walk. */
struct fn_spec {
  int64_t kind;
  const gsl_vector *p;  /* the coefficients of NNG_EX5_FN_POLY */
};

static double
fn_f(double x, void *params)
{
  const struct fn_spec *s = params;
  switch (s->kind) {
  case NNG_EX5_FN_QUADRATIC:
    return 3.0 * x * x - 3.0 * x + 4.0;
  case NNG_EX5_FN_WAVY:
    return cos(2.0 * M_PI * x) + x * x;
  case NNG_EX5_FN_POLY: {
    double v = 0.0;  /* Horner, highest power first */
    for (size_t k = s->p->size; k-- > 0;)
      v = v * x + gsl_vector_get(s->p, k);
    return v;
  }
  default:
    return NAN;
  }
}

static double
fn_df(double x, void *params)
{
  const struct fn_spec *s = params;
  switch (s->kind) {
  case NNG_EX5_FN_QUADRATIC:
    return 6.0 * x - 3.0;
  case NNG_EX5_FN_WAVY:
    return -2.0 * M_PI * sin(2.0 * M_PI * x) + 2.0 * x;
  case NNG_EX5_FN_POLY: {
    double v = 0.0;
    for (size_t k = s->p->size; k-- > 1;)
      v = v * x + (double) k * gsl_vector_get(s->p, k);
    return v;
  }
  default:
    return NAN;
  }
}

static void
fn_fdf(double x, void *params, double *f, double *df)
{
  *f = fn_f(x, params);
  *df = fn_df(x, params);
}

/* The four values of "opt" (calls-ex05.h). */
static int
get_options(nng_msg *req, ex5_options *opt)
{
  int64_t epochs, schedule;
  if (nng_msg_get_double(req, &opt->lr) || nng_msg_get_int(req, &epochs)
      || nng_msg_get_int(req, &schedule) || nng_msg_get_double(req, &opt->decay)
      || epochs < 0)
    return -1;
  opt->epochs = (size_t) epochs;
  opt->schedule = (ex5_schedule) schedule;
  return 0;
}

void
nng_probe_dispatch(int64_t fn, nng_msg *req, nng_msg *rep)
{
  gsl_vector *p = NULL, *xs = NULL, *fs = NULL, *dfs = NULL;
  ex5_options opt;
  double x, dfdx, lr, fx, rate;
  int64_t epoch, kind;

  switch (fn) {
  case NNG_EX5_STEP:
    if (nng_msg_get_double(req, &x) || nng_msg_get_double(req, &dfdx)
        || nng_msg_get_double(req, &lr))
      break;
    nng_msg_put_int(rep, NNG_PROBE_CALL(ex5_step(&x, dfdx, lr)));
    nng_msg_put_double(rep, x);
    goto done;

  case NNG_EX5_RATE:
    if (get_options(req, &opt) || nng_msg_get_int(req, &epoch) || epoch < 0
        || nng_msg_get_double(req, &fx) || nng_msg_get_double(req, &dfdx)
        || nng_msg_get_double(req, &rate))
      break;
    nng_msg_put_int(rep, NNG_PROBE_CALL(ex5_rate(&opt, (size_t) epoch, fx, dfdx, &rate)));
    nng_msg_put_double(rep, rate);
    goto done;

  case NNG_EX5_DESCEND: {
    if (nng_msg_get_int(req, &kind) || nng_msg_get_vector_alloc(req, &p)
        || nng_msg_get_double(req, &x) || get_options(req, &opt)
        || nng_msg_get_vector_alloc(req, &xs) || nng_msg_get_vector_alloc(req, &fs)
        || nng_msg_get_vector_alloc(req, &dfs))
      break;
    if (kind == NNG_EX5_FN_POLY && p->size == 0)
      break;
    struct fn_spec spec = {kind, p};
    gsl_function_fdf f = {fn_f, fn_df, fn_fdf, &spec};
    nng_msg_put_int(rep, NNG_PROBE_CALL(ex5_descend(&f, x, &opt, xs, fs, dfs)));
    nng_msg_put_vector(rep, xs);
    nng_msg_put_vector(rep, fs);
    nng_msg_put_vector(rep, dfs);
    goto done;
  }

  default:
    break;
  }
  nng_msg_clear(rep);
  nng_msg_put_int(rep, NNG_PROBE_BAD_REQUEST);
done:
  gsl_vector_free(p);
  gsl_vector_free(xs);
  gsl_vector_free(fs);
  gsl_vector_free(dfs);
}
