/* SPDX-License-Identifier: GPL-3.0-or-later */
/* exercises.c: the table of exercises (see exercises.h). */
#include <config.h>

#include "exercises.h"

const nng_exercise nng_exercises[] = {
  {1, "Vectors, matrices and derivatives", "ex01", "exercise1.c", nng_ex01_tests,
   "gsl_blas_* cblas_* gsl_deriv_*"},
  {2, "The perceptron", "ex02", "exercise2.c", nng_ex02_tests, NULL},
  {3, "The forward pass", "ex03", "exercise3.c", nng_ex03_tests, NULL},
  {4, "Loss and cost", "ex04", "exercise4.c", nng_ex04_tests, NULL},
  {5, "Gradient descent in 1D", "ex05", "exercise5.c", nng_ex05_tests, NULL},
  {6, "Gradient descent in 2D", "ex06", "exercise6.c", nng_ex06_tests, NULL},
  {7, "Backpropagation", "ex07", "exercise7.c", nng_ex07_tests, NULL},
};
const size_t nng_n_exercises = sizeof nng_exercises / sizeof nng_exercises[0];

const nng_exercise *
nng_exercise_find(int number)
{
  for (size_t i = 0; i < nng_n_exercises; i++)
    if (nng_exercises[i].number == number)
      return &nng_exercises[i];
  return NULL;
}

size_t
nng_exercise_n_tests(const nng_exercise *ex)
{
  size_t n = 0;
  while (ex->tests[n].name != NULL)
    n++;
  return n;
}
