"""The DAGs' timetable, registered as an Airflow plugin (Airflow serializes only registered timetables).

Airflow's cron timetables with `catchup=False` schedule the latest *complete* interval as soon as a DAG
is unpaused: its tick is in the past, so the scheduler starts it at once, and a manual run triggered
with the unpause gets a redundant crawl queued behind it. `UpcomingCronDataIntervalTimetable` keeps
cron data intervals but, without catchup, a tick missed while the DAG was paused (or before it was
ever unpaused) is skipped: the next run is the interval in progress, started at its end. The interval
right after the last scheduled run is never skipped, so a late scheduler (or a dag-processor parse
just past a tick) loses no run.

This folder is Airflow's `[core] plugins_folder` (AIRFLOW__CORE__PLUGINS_FOLDER) wherever the DAGs run.
"""

from __future__ import annotations

from airflow._shared.timezones.timezone import coerce_datetime, utcnow
from airflow.plugins_manager import AirflowPlugin
from airflow.timetables.base import DagRunInfo, DataInterval, TimeRestriction
from airflow.timetables.interval import CronDataIntervalTimetable


def now():
    """The current time (a function of its own: tests set the clock through it)."""
    return coerce_datetime(utcnow())


class UpcomingCronDataIntervalTimetable(CronDataIntervalTimetable):
    """Cron data intervals; without catchup, unpausing never starts a run of an interval already past."""

    def next_dagrun_info(self, *, last_automated_data_interval: DataInterval | None,
                         restriction: TimeRestriction) -> DagRunInfo | None:
        if restriction.catchup:
            return super().next_dagrun_info(last_automated_data_interval=last_automated_data_interval,
                                            restriction=restriction)
        in_progress = self._align_to_prev(now())  # start of the interval now running; its run is due at its end
        start = in_progress
        if last_automated_data_interval is not None:
            following = self._align_to_prev(last_automated_data_interval.end)
            if self._get_next(following) >= in_progress:  # the next interval in sequence: never skipped
                start = following
            if start <= last_automated_data_interval.start:  # a schedule change realigned it backwards
                start = self._get_next(last_automated_data_interval.start)
        if restriction.earliest is not None:
            start = max(start, self._align_to_next(restriction.earliest))
        if restriction.latest is not None and start > restriction.latest:
            return None
        return DagRunInfo.interval(start=start, end=self._get_next(start))


class EtlTimetablesPlugin(AirflowPlugin):
    name = "etl_timetables"
    timetables = [UpcomingCronDataIntervalTimetable]
