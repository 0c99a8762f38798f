# SPDX-License-Identifier: GPL-3.0-or-later
## exercises/: one folder per lecture, each with a header that fixes the API,
## a file of stubs the student fills in, and a README with the task.
## `make exerciseN` grades the student's file with the public tests.

exercisesdir = $(pkgdatadir)/exercises
ex01dir = $(exercisesdir)/ex01
dist_ex01_DATA = %D%/ex01/exercise1.h %D%/ex01/exercise1.c %D%/ex01/README.md
ex02dir = $(exercisesdir)/ex02
dist_ex02_DATA = %D%/ex02/exercise2.h %D%/ex02/exercise2.c %D%/ex02/README.md
ex03dir = $(exercisesdir)/ex03
dist_ex03_DATA = %D%/ex03/exercise3.h %D%/ex03/exercise3.c %D%/ex03/README.md
ex04dir = $(exercisesdir)/ex04
dist_ex04_DATA = %D%/ex04/exercise4.h %D%/ex04/exercise4.c %D%/ex04/README.md
ex05dir = $(exercisesdir)/ex05
dist_ex05_DATA = %D%/ex05/exercise5.h %D%/ex05/exercise5.c %D%/ex05/README.md
ex06dir = $(exercisesdir)/ex06
dist_ex06_DATA = %D%/ex06/exercise6.h %D%/ex06/exercise6.c %D%/ex06/README.md
ex07dir = $(exercisesdir)/ex07
dist_ex07_DATA = %D%/ex07/exercise7.h %D%/ex07/exercise7.c %D%/ex07/README.md

# The exercises that exist; adding one adds its number here.
EXERCISE_NUMBERS = 1 2 3 4 5 6 7

# make exerciseN: grade exercises/exNN/exerciseN.c with the public tests.
$(EXERCISE_NUMBERS:%=exercise%): exercise%: grader/nngrade $(pkglib_LIBRARIES)
	@$(NNGRADE_IN_TREE) ./grader/nngrade check --exercise $* \
	  $(srcdir)/exercises/$$(printf 'ex%02d' $*)

# make exercises: all of them; fails when one is not at full marks.
exercises: grader/nngrade $(pkglib_LIBRARIES)
	@status=0; for n in $(EXERCISE_NUMBERS); do \
	  $(MAKE) $(AM_MAKEFLAGS) exercise$$n || status=1; \
	done; exit $$status

PHONY_TARGETS += $(EXERCISE_NUMBERS:%=exercise%) exercises
