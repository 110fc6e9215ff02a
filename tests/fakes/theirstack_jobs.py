"""Jobs as TheirStack sends them, for the fake server: one fully filled job, or a realistic random stream.

    make_job(7, job_title="Data Engineer", discovered_at=...)      # every field we read, overridable
    synthetic_jobs(10_000, seed=1, now=datetime.now(UTC))          # varied titles, skills, places, salaries
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

DISCOVERED_FORMAT = "%Y-%m-%dT%H:%M:%S"


def make_job(job_id: int | None, *, discovered_at: datetime | None = None, **overrides: Any) -> dict[str, Any]:
    """A job with every field the client reads filled in (the second example of theirstack-api.md §6)."""
    seen = (discovered_at or datetime.now(UTC) - timedelta(hours=1)).astimezone(UTC)
    job = {
        "id": job_id, "job_title": "Senior Data Engineer", "normalized_title": "data engineer",
        "url": f"https://www.linkedin.com/jobs/view/{job_id}", "final_url": f"https://boards.example/jobs/{job_id}",
        "source_url": f"https://www.linkedin.com/jobs/view/{job_id}", "date_posted": seen.date().isoformat(),
        "discovered_at": seen.strftime(DISCOVERED_FORMAT), "reposted": False, "date_reposted": None,
        "has_blurred_data": False, "company": "Ridgeline Foods", "company_domain": "ridgelinefoods.com",
        "remote": False, "hybrid": True, "seniority": "senior", "employment_statuses": ["full_time"],
        "easy_apply": False, "salary_string": "$140,000 - $165,000", "min_annual_salary": 140000,
        "max_annual_salary": 165000, "min_annual_salary_usd": 140000, "max_annual_salary_usd": 165000,
        "avg_annual_salary_usd": 152500, "salary_currency": "USD", "location": "Denver",
        "short_location": "Denver, CO", "long_location": "Denver, CO 80202", "country": "United States",
        "country_code": "US", "countries": ["United States"], "country_codes": ["US"], "cities": ["Denver"],
        "locations": [{
            "id": 5419384, "name": "Denver", "type": "city", "country_code": "US", "country_name": "United States",
            "admin1_name": "Colorado", "admin1_code": "CO", "display_name": "Denver, Colorado, United States",
        }],
        "description": "## About the role\nYou will build pipelines in Python and SQL on Snowflake with dbt and Airflow.",
        "technology_slugs": ["snowflake", "dbt"], "keyword_slugs": ["snowflake", "dbt", "looker"],
        "hiring_team": [{"first_name": "Priya", "full_name": "Priya Raman", "role": "Head of Data"}],
        "manager_roles": ["Head of Data"], "matching_phrases": [], "matching_words": [],
        "company_object": {"id": "ridgeline-foods", "name": "Ridgeline Foods", "domain": "ridgelinefoods.com"},
    }
    return job | overrides


_TITLES = {
    "Software Engineer": ["Python", "Java", "Go", "AWS", "Docker", "PostgreSQL", "Kubernetes", "Git", "REST APIs"],
    "Data Scientist": ["Python", "SQL", "pandas", "scikit-learn", "PyTorch", "statistics", "Tableau", "Spark"],
    "DevOps Engineer": ["Kubernetes", "Terraform", "AWS", "Docker", "Ansible", "Jenkins", "Prometheus", "Linux"],
    "Frontend Developer": ["React", "TypeScript", "JavaScript", "CSS", "HTML", "Next.js", "Jest", "GraphQL"],
    "Backend Developer": ["Java", "Spring Boot", "Node.js", "PostgreSQL", "Redis", "Kafka", "Docker", "gRPC"],
    "Machine Learning Engineer": ["Python", "PyTorch", "TensorFlow", "MLflow", "Kubernetes", "AWS SageMaker"],
}
_LEVELS = ["", "Senior ", "Junior ", "Staff ", "Lead "]
_PLACES = [("Austin, Texas, United States", "US"), ("New York, New York, United States", "US"),
           ("Seattle, Washington, United States", "US"), ("Berlin, Berlin, Germany", "DE"), ("Toronto, Ontario, Canada", "CA")]
_FILLER = (
    "We are a growing team building products used by millions of people. You will collaborate with product "
    "managers and designers, review code, mentor colleagues and own features from design to production. "
)


def synthetic_jobs(count: int, *, seed: int = 1, now: datetime | None = None, days: int = 14) -> Iterator[dict[str, Any]]:
    """`count` varied jobs discovered over the last `days` days (ids 1..count), newest last."""
    rng = random.Random(seed)
    end = (now or datetime.now(UTC)).astimezone(UTC) - timedelta(minutes=1)
    step = timedelta(days=days) / max(count, 1)
    for index in range(count):
        yield _synthetic(index + 1, rng, end - step * (count - index))


def _synthetic(job_id: int, rng: random.Random, seen: datetime) -> dict[str, Any]:
    role, stack = rng.choice(list(_TITLES.items()))
    skills = rng.sample(stack, k=min(len(stack), rng.randint(3, 6)))
    place, country = rng.choice(_PLACES)
    low = rng.randrange(80, 180) * 1000
    description = (
        f"## About the role\n{_FILLER}\n\n## Requirements\n- Experience with {', '.join(skills[:-1])} and {skills[-1]}.\n"
        f"- Strong communication skills.\n\n{_FILLER * rng.randint(1, 3)}"
    )
    return make_job(
        job_id, discovered_at=seen, job_title=f"{rng.choice(_LEVELS)}{role}", description=description,
        date_posted=(seen - timedelta(days=rng.randint(0, 2))).date().isoformat(), remote=rng.random() < 0.3,
        min_annual_salary_usd=low, max_annual_salary_usd=low + 30000, technology_slugs=[], keyword_slugs=[],
        country_code=country, country_codes=[country], locations=[{"display_name": place, "country_code": country}],
    )
