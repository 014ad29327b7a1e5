"""Small database expressions the ORM lacks, written for both databases the project runs on."""

from django.db.models import DateTimeField, Func


class PlusMinutes(Func):
    """A datetime column plus a whole number of minutes from another column, e.g. a session's end.

    Django's own datetime + duration arithmetic cannot multiply a column of
    minutes into a duration on SQLite; this says it in each database's terms.
    """

    arity = 2
    output_field = DateTimeField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template="(%(expressions)s))", arg_joiner=" + make_interval(mins => ", **extra_context
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        # Django keeps datetimes on SQLite as text "YYYY-MM-DD HH:MM:SS[.ffffff]" in UTC; %f adds milliseconds.
        return self.as_sql(
            compiler,
            connection,
            template="strftime('%%%%Y-%%%%m-%%%%d %%%%H:%%%%M:%%%%f', %(expressions)s || ' minutes')",
            arg_joiner=", '+' || ",
            **extra_context,
        )
