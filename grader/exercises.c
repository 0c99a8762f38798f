/* exercises.c: the table of exercises (see exercises.h). */
#include <config.h>

#include "exercises.h"

const nng_exercise nng_exercises[] = {
  {1, "Vectors, matrices and derivatives", "ex01", "exercise1.c", nng_ex01_tests},
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
