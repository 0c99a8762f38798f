## exercises/: one folder per lecture, each with a header that fixes the API,
## a file of stubs the student fills in, and a README with the task.
## `make exerciseN` grades the student's file with the public tests.

exercisesdir = $(pkgdatadir)/exercises
ex01dir = $(exercisesdir)/ex01
dist_ex01_DATA = %D%/ex01/exercise1.h %D%/ex01/exercise1.c %D%/ex01/README.md

EXERCISE_NUMBERS = 1

exercise1: grader/nngrade $(pkglib_LIBRARIES)
	@$(NNGRADE_IN_TREE) ./grader/nngrade check --exercise 1 $(srcdir)/exercises/ex01

exercises: grader/nngrade $(pkglib_LIBRARIES)
	@status=0; for n in $(EXERCISE_NUMBERS); do \
	  $(MAKE) $(AM_MAKEFLAGS) exercise$$n || status=1; \
	done; exit $$status

PHONY_TARGETS += exercise1 exercises
