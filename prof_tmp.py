import sys, time, logging, cProfile, pstats
from pathlib import Path
from planner.benchmarks.curtois import read_instance
from planner.benchmarks import curtois_solve
from planner.roster.solve import SolveOptions
logging.basicConfig(level=logging.INFO)
i=int(sys.argv[1]); tl=float(sys.argv[2]); mode=sys.argv[3]
inst=read_instance(Path(f'/work/shared/benchmarks/curtois/Instance{i}.txt'))
pr=cProfile.Profile(); pr.enable()
r=curtois_solve.solve_instance(inst,time_limit=tl,workers=2,mode=mode)
pr.disable()
print(r.result.status, r.result.objective, r.result.iterations, r.result.improvements, r.seconds)
pstats.Stats(pr).sort_stats('cumulative').print_stats(25)
