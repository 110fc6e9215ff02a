"""The router's message suite: real-sounding chat messages with the intent and arguments each should give.

Each case names only the arguments it checks; `skills` compare as sets, everything else exactly. Kept apart from
the test module so the benchmark (bench/router.py) can time the same messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

_DESCRIPTION_A = """Senior Data Engineer — Remote (US)

About the role
We are looking for a Senior Data Engineer to design and run the pipelines behind our analytics platform.

Responsibilities
- Build and maintain batch and streaming pipelines with Apache Spark, Kafka and Airflow
- Model data in Snowflake and dbt, and keep it documented and tested
- Own infrastructure as code with Terraform on AWS
- Partner with analysts and data scientists

Requirements
- 5+ years of experience with Python and SQL
- Experience with Docker and Kubernetes
- Strong communication skills

Nice to have: Scala, Databricks, Great Expectations.
"""

_DESCRIPTION_B = (
    "We're hiring a Frontend Engineer to join our product team in Berlin. You will build accessible, fast user interfaces "
    "in React and TypeScript, work closely with designers in Figma, write tests with Jest and Cypress, and help us move our "
    "design system to Storybook. You have 3+ years of experience with modern JavaScript, HTML and CSS, you care about "
    "performance and accessibility, and you are comfortable with GraphQL APIs. Benefits: 30 days of holiday, learning budget, "
    "hybrid work. Apply with your CV and a link to something you built."
)

_DESCRIPTION_C = """<p><strong>Backend Developer (Go)</strong></p>
<ul>
<li>Design and build microservices in Go and gRPC</li>
<li>Operate PostgreSQL and Redis in production</li>
<li>Deploy with Kubernetes, Helm and GitHub Actions</li>
<li>Observability with Prometheus and Grafana</li>
</ul>
<p>Qualifications: 4+ years of backend experience, solid understanding of distributed systems, REST APIs.</p>
<p>We offer: remote-first team, equity, 4-day week.</p>"""

_DESCRIPTION_D = """## Machine Learning Engineer

### What you'll do
* Train and ship models with PyTorch and scikit-learn
* Build feature pipelines on Databricks with PySpark
* Serve models behind FastAPI on AWS SageMaker
* Track experiments with MLflow

### What we're looking for
* Strong Python, SQL and statistics
* Experience with Docker, CI/CD and Git
* Familiarity with LLMs is a plus

Full time, salary 150-180k USD, compensation includes equity.
"""

_DESCRIPTION_E = (
    "Job description: DevOps Engineer. Responsibilities include maintaining our AWS infrastructure with Terraform and Ansible, "
    "running Jenkins and GitLab CI pipelines, managing Linux servers, Docker containers and a Kubernetes cluster, and "
    "monitoring with Datadog. Requirements: 3 years of experience, Bash and Python scripting, good English."
)

_SELF_DESCRIPTION = (
    "Hi! I'm a backend developer with 5 years of experience in Python, Django, PostgreSQL, Docker and AWS. I've also done "
    "some work with Kafka and a bit of React on the side. I'm thinking about moving into data engineering. What should I "
    "learn next to become a data engineer?"
)


@dataclass(frozen=True)
class Case:
    text: str
    intent: str
    expect: dict[str, Any] = field(default_factory=dict)
    forwarded: bool = False

    @property
    def id(self) -> str:
        flat = " ".join(self.text.split())
        return f"{self.intent}: {flat[:48]}"


def c(text: str, intent: str, forwarded: bool = False, **expect: Any) -> Case:
    return Case(text, intent, expect, forwarded)


TRENDING = [
    c("what's hot for data engineers right now?", "trending", role="Data Engineer"),
    c("What skills are trending?", "trending", role=None),
    c("top skills for backend devs", "trending", role="Backend Developer"),
    c("whats in demand this month", "trending", days=30),
    c("trending skills for ML engineers in the last 90 days", "trending", role="Machine Learning Engineer", days=90),
    c("show me the hottest tech skills 🔥", "trending"),
    c("which skills are employers asking for the most?", "trending"),
    c("is rust in demand?", "trending", skills={"Rust"}),
    c("market trends for data scientists this quarter", "trending", role="Data Scientist", days=90),
    c("What do companies want from frontend developers these days?", "trending", role="Frontend Developer"),
    c("popular skills past week", "trending", days=7),
    c("TRENDING DEVOPS", "trending", role="DevOps Engineer"),
    c("trendng skills for sre", "trending", role="Site Reliability Engineer"),
    c("what's hot in the job market 📈", "trending"),
    c("most requested skills for mobile developers in the past 6 months", "trending", role="Mobile Developer", days=180),
    c("how is kubernetes doing in the market?", "trending", skills={"Kubernetes"}),
    c("salary ranges for data engineers", "trending", role="Data Engineer"),
    c("top technologies for cloud engineers this year", "trending", role="Cloud Engineer", days=365),
    c("which languages are rising?", "trending"),
    c("give me the market overview for product managers", "trending", role="Product Manager"),
    c("hot skills for QA", "trending", role="QA Engineer"),
    c("what are the most popular frameworks right now", "trending"),
    c("show trends for full stack developers over the last 60 days", "trending", role="Full Stack Developer", days=60),
    c("demand for python devs last 2 weeks", "trending", skills={"Python"}, days=14),
    c("wats trending in data science?", "trending", role="Data Scientist"),
    c("Top skills for data analysts", "trending", role="Data Analyst"),
    c("what tech is everyone hiring for?", "trending"),
    c("📈 for security engineers", "trending", role="Security Engineer"),
]

GAP = [
    c("what am I missing to become an ML engineer?", "gap", role="Machine Learning Engineer"),
    c("skill gap for data scientist", "gap", role="Data Scientist"),
    c("how far am I from a backend developer role?", "gap", role="Backend Developer"),
    c("am i ready for a devops job?", "gap", role="DevOps Engineer"),
    c("I know Python and SQL, what am I missing for data engineer?", "gap", role="Data Engineer", skills={"Python", "SQL"}),
    c("gap analysis: frontend", "gap", role="Frontend Developer"),
    c("what do I lack for SRE", "gap", role="Site Reliability Engineer"),
    c("do i qualify as a data analyst", "gap", role="Data Analyst"),
    c("compare my skills with cloud engineer postings", "gap", role="Cloud Engineer"),
    c("what's missing from my profile for full-stack dev?", "gap", role="Full Stack Developer"),
    c("How close am I to being a data scienist?", "gap", role="Data Scientist"),
    c("missing skills mobile developer", "gap", role="Mobile Developer"),
    c("my gap for machine learning engineer in the last 60 days", "gap", role="Machine Learning Engineer", days=60),
    c("What skills do I need for a QA engineer position?", "gap", role="QA Engineer"),
    c("with react and typescript, what am I missing for frontend?", "gap", role="Frontend Developer", skills={"React", "TypeScript"}),
    c("am I missing anything for security engineer?", "gap", role="Security Engineer"),
    c("coverage for product manager", "gap", role="Product Manager"),
    c("how do I stack up against backend job requirements?", "gap", role="Backend Developer"),
    c("what am i missing", "gap", role=None),
    c("Gap for DS please 🙏", "gap", role="Data Scientist"),
    c("which skills am I lacking for embedded engineer", "gap", role="Embedded Engineer"),
    c("I have java, spring and docker. what's my gap for backend engineer?", "gap", role="Backend Developer", skills={"Java", "Spring", "Docker"}),
    c("could I apply as a data engineer with my current skills?", "gap", role="Data Engineer"),
    c("what am I still missing for MLE", "gap", role="Machine Learning Engineer"),
    c("misssing skills for devops", "gap", role="DevOps Engineer"),
]

ROADMAP = [
    c("what should I learn next?", "roadmap", role=None),
    c("roadmap for data engineer", "roadmap", role="Data Engineer"),
    c("how do I become a data scientist?", "roadmap", role="Data Scientist"),
    c("give me a learning path to become a cloud engineer", "roadmap", role="Cloud Engineer"),
    c("what should I learn first for frontend", "roadmap", role="Frontend Developer"),
    c("study plan for ML engineer", "roadmap", role="Machine Learning Engineer"),
    c("in what order should I learn the devops skills?", "roadmap", role="DevOps Engineer"),
    c("how to get into cybersecurity", "roadmap", role="Security Engineer"),
    c("next skill to pick up for backend?", "roadmap", role="Backend Developer"),
    c("Roadmap pls 🗺️", "roadmap"),
    c("I'm a junior dev, what should I focus on to become a full stack developer", "roadmap", role="Full Stack Developer"),
    c("where do I start if I want to be a data analyst?", "roadmap", role="Data Analyst"),
    c("plan my path to SRE", "roadmap", role="Site Reliability Engineer"),
    c("what to learn to become ios developer", "roadmap", role="Mobile Developer"),
    c("learning roadmap for product management", "roadmap", role="Product Manager"),
    c("ROADMAP DATA ENGINEER", "roadmap", role="Data Engineer"),
    c("how can i switch to data engineering from backend?", "roadmap", role="Data Engineer"),
    c("which skills should I prioritize for MLOps engineer?", "roadmap", role="Machine Learning Engineer"),
    c("what's the best order to learn things for a QA role", "roadmap", role="QA Engineer"),
    c("steps to become a devops engineer", "roadmap", role="DevOps Engineer"),
    c("help me plan my career as a frontend dev", "roadmap", role="Frontend Developer"),
    c("Roadmap for data engineer for the last 90 days", "roadmap", role="Data Engineer", days=90),
    c(_SELF_DESCRIPTION, "roadmap", role="Data Engineer"),
]

RESOURCES = [
    c("how do I learn Kubernetes?", "resources", skills={"Kubernetes"}),
    c("good courses for react?", "resources", skills={"React"}),
    c("resources for docker", "resources", skills={"Docker"}),
    c("any books on system design?", "resources", skills={"System Design"}),
    c("k8s tutorial pls", "resources", skills={"Kubernetes"}),
    c("best way to learn TypeScript", "resources", skills={"TypeScript"}),
    c("where can I learn terraform", "resources", skills={"Terraform"}),
    c("videos about apache spark", "resources", skills={"Spark"}),
    c("documentation for FastAPI", "resources", skills={"FastAPI"}),
    c("teach me go", "resources", skills={"Go"}),
    c("how to learn pyhton", "resources", skills={"Python"}),
    c("free courses for sql and postgres", "resources", skills={"SQL", "PostgreSQL"}),
    c("Recommend a tutorial for GraphQL 📚", "resources", skills={"GraphQL"}),
    c("i want to learn rust, any resources?", "resources", skills={"Rust"}),
    c("where to study machine learning", "resources", skills={"Machine Learning"}),
    c("courses on aws", "resources", skills={"AWS"}),
    c("how can I get better at SQL?", "resources", skills={"SQL"}),
    c("any good youtube channels for learning django", "resources", skills={"Django"}),
    c("Kubernetes resources?", "resources", skills={"Kubernetes"}),
    c("guide to ci/cd", "resources", skills={"CI/CD"}),
    c("how do i learn kubernets", "resources", skills={"Kubernetes"}),
    c("materials to brush up on statistics", "resources", skills={"Statistics"}),
    c("tutorials for node.js and express", "resources", skills={"Node.js", "Express"}),
]

PROJECTS = [
    c("project ideas for react", "projects", skills={"React"}),
    c("what can I build to practice python?", "projects", skills={"Python"}),
    c("beginner projects", "projects", difficulty="Beginner"),
    c("give me an advanced project for my portfolio", "projects", difficulty="Advanced"),
    c("side project ideas for a data engineer", "projects", role="Data Engineer"),
    c("some easy projects with docker", "projects", skills={"Docker"}, difficulty="Beginner"),
    c("portfolio ideas for frontend devs", "projects", role="Frontend Developer"),
    c("I need a hands-on project to practice kubernetes", "projects", skills={"Kubernetes"}),
    c("intermediate project ideas 💡", "projects", difficulty="Intermediate"),
    c("what should I build next?", "projects"),
    c("projects to close my gaps for ML engineer", "projects", role="Machine Learning Engineer"),
    c("Any project suggestions using FastAPI and PostgreSQL?", "projects", skills={"FastAPI", "PostgreSQL"}),
    c("practice projects for data analysts", "projects", role="Data Analyst"),
    c("PROJECTS", "projects"),
    c("hard projects for backend", "projects", role="Backend Developer", difficulty="Advanced"),
    c("something to build with vue this weekend", "projects", skills={"Vue.js"}),
    c("project to learn terraform", "projects", skills={"Terraform"}),
    c("show me simple project ideas for a junior data scientist", "projects", role="Data Scientist", difficulty="Beginner"),
    c("what could I build to show off my skills to employers?", "projects"),
    c("projects for intermediate level with kafka", "projects", skills={"Kafka"}, difficulty="Intermediate"),
]

PROFILE = [
    c("I know Python", "profile_update", add_skills={"Python"}),
    c("i learned docker last week", "profile_update", add_skills={"Docker"}),
    c("add kubernetes and helm to my skills", "profile_update", add_skills={"Kubernetes", "Helm"}),
    c("remove excel from my skills", "profile_update", remove_skills={"Excel"}),
    c("my role is data engineer", "profile_update", target_role="Data Engineer"),
    c("I want to become a data scientist", "profile_update", target_role="Data Scientist"),
    c("I just finished a course on terraform", "profile_update", add_skills={"Terraform"}),
    c("I've learnt React and Next.js", "profile_update", add_skills={"React", "Next.js"}),
    c("delete java", "profile_update", remove_skills={"Java"}),
    c("set my target role to SRE", "profile_update", target_role="Site Reliability Engineer"),
    c("I don't use jQuery anymore, remove it", "profile_update", remove_skills={"jQuery"}),
    c("also add aws", "profile_update", add_skills={"AWS"}),
    c("I know sql, pandas and airflow now", "profile_update", add_skills={"SQL", "Pandas", "Airflow"}),
    c("I want to be a backend developer", "profile_update", target_role="Backend Developer"),
    c("change my role to product manager", "profile_update", target_role="Product Manager"),
    c("I can code in go and rust", "profile_update", add_skills={"Go", "Rust"}),
    c("add C++ and CMake", "profile_update", add_skills={"C++", "CMake"}),
    c("I'm good at statistics and R", "profile_update", add_skills={"Statistics", "R"}),
    c("remove php, I forgot it", "profile_update", remove_skills={"PHP"}),
    c("I learned Kafka and want to become a data engineer", "profile_update", add_skills={"Kafka"}, target_role="Data Engineer"),
]

JOB_MATCH = [
    c(_DESCRIPTION_A, "job_match"),
    c(_DESCRIPTION_B, "job_match"),
    c(_DESCRIPTION_C, "job_match"),
    c(_DESCRIPTION_D, "job_match"),
    c(_DESCRIPTION_E, "job_match"),
    c("Can you match me to this job?\n\n" + _DESCRIPTION_B, "job_match"),
    c("Hiring: Senior Go developer. Kubernetes, gRPC, PostgreSQL. Remote, EU time zones. DM me.", "job_match", forwarded=True),
    c("is this a good fit for me? " + _DESCRIPTION_E, "job_match"),
]

HELP = [
    c("hi", "help"),
    c("Hello! 👋", "help"),
    c("help", "help"),
    c("what can you do?", "help"),
    c("hey there", "help"),
    c("how does this work?", "help"),
    c("thanks!", "help"),
    c("good morning", "help"),
    c("/help", "help"),
    c("start", "help"),
    c("menu", "help"),
    c("who are you?", "help"),
]

CLARIFY = [
    c("hmm", "clarify"),
    c("ok", "clarify"),
    c("?", "clarify"),
    c("", "clarify"),
    c("data engineer", "clarify", role="Data Engineer"),
    c("python", "clarify", skills={"Python"}),
    c("what do you think?", "clarify"),
    c("tell me something interesting", "clarify"),
    c("🤔", "clarify"),
    c("asdfghjkl", "clarify"),
    c("is it worth it?", "clarify"),
    c("data scientist or data engineer?", "clarify"),
    c("rust vs go", "clarify"),
    c("and for backend?", "clarify", role="Backend Developer"),
    c("what about last 90 days?", "clarify", days=90),
    c("recommend something", "clarify"),
    c("I want to learn", "clarify"),
    c("courses", "clarify"),
    c("add", "clarify"),
    c("check this job for me", "clarify"),
    c("what's the weather in Paris?", "clarify"),
    c("should I quit my job?", "clarify"),
    c("compare react and vue", "clarify"),
    c("💼🚀", "clarify"),
    c("blah blah", "clarify"),
]

ALL_CASES = TRENDING + GAP + ROADMAP + RESOURCES + PROJECTS + PROFILE + JOB_MATCH + HELP + CLARIFY
