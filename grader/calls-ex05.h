/* SPDX-License-Identifier: GPL-3.0-or-later */
/* calls-ex05.h: the calls nngrade can ask a probe of exercise 5 to make.
 *
 * Each request is the call's number followed by its arguments; each reply is
 * the status the student's function returned followed by its outputs (even on
 * an error, so that nngrade can see whether they were left untouched). The
 * options of a run travel as four values, "opt" below: lr (double), epochs
 * (int), schedule (int: any number, so that a test can send one that is not
 * an ex5_schedule), decay (double).
 *
 *   NNG_EX5_STEP     request: x (double, before), dfdx (double), lr (double)
 *                    reply:   status, x
 *   NNG_EX5_RATE     request: opt, epoch (int), fx (double), dfdx (double),
 *                             rate (double, before)
 *                    reply:   status, rate
 *   NNG_EX5_DESCEND  request: function kind (int), its parameters (vector),
 *                             x0 (double), opt, xs, fs, dfs (vectors, before)
 *                    reply:   status, xs, fs, dfs
 *
 * The functions a descent can be asked to walk, built in the probe from
 * their kind and parameters p (a function pointer cannot cross processes):
 *
 *   NNG_EX5_FN_QUADRATIC   3x² - 3x + 4                 (no parameters)
 *   NNG_EX5_FN_WAVY        cos(2πx) + x²                (no parameters)
 *   NNG_EX5_FN_POLY        p_0 + p_1 x + ... + p_n x^n  (at least one p)
 */
#ifndef NNG_CALLS_EX05_H
#define NNG_CALLS_EX05_H

enum {
  NNG_EX5_STEP = 1,
  NNG_EX5_RATE,
  NNG_EX5_DESCEND
};

enum { NNG_EX5_FN_QUADRATIC = 1, NNG_EX5_FN_WAVY, NNG_EX5_FN_POLY };

#endif /* NNG_CALLS_EX05_H */
