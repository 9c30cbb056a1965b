import sys, time
from pathlib import Path
from ortools.sat.python import cp_model
from planner.benchmarks.curtois import read_instance, to_product
from planner.roster.candidates import prepare
from planner.roster.model import build_model
from planner.benchmarks.curtois_solve import _no_requirements
i=int(sys.argv[1]); tl=float(sys.argv[2]); lin=int(sys.argv[3]); workers=int(sys.argv[4])
inst=read_instance(Path(f'/work/shared/benchmarks/curtois/Instance{i}.txt'))
d=to_product(inst)
t=time.time()
p=prepare(d.agents,_no_requirements(),d.config,d.horizon,time_off_rows=d.time_off,calendar=d.calendar,agent_rules=d.agent_rules,shift_requests=d.shift_requests,shift_cover=d.shift_cover)
print('prepare',len(p.cands),time.time()-t)
t=time.time()
b=build_model(p, hints=False)
print('build',time.time()-t, len(b.model.proto.variables), len(b.model.proto.constraints))
s=cp_model.CpSolver()
s.parameters.max_time_in_seconds=tl
s.parameters.num_workers=workers
s.parameters.linearization_level=lin
s.parameters.log_search_progress=True
for extra in sys.argv[5:]:
    k,v=extra.split('=')
    if k in ('subsolvers','extra_subsolvers','ignore_subsolvers'):
        getattr(s.parameters,k).extend(v.split(',')); continue
    setattr(s.parameters,k,type(getattr(s.parameters,k))(v) if not isinstance(getattr(s.parameters,k),bool) else v=='1')
st=s.solve(b.model)
print(s.status_name(st), s.objective_value, s.best_objective_bound, s.wall_time)
