from tests.app.conftest import *  # noqa

def test_pages(app):
    for role, pages in {
        "agent": ["pages/my_schedule.py"],
        "manager": ["pages/generate.py","pages/review.py","pages/publish.py","pages/forecast.py","pages/data.py","pages/scenarios.py"],
    }.items():
        for p in pages:
            at = app(role)
            at.run(); at.switch_page(p).run()
            print(role, p, at.exception, [e.value for e in at.error], [w.value for w in at.warning], [t.value for t in at.title])
