"""The set of services the front ends (API, web, CLI) are given by the composition root."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from autolend.services.applications import ApplicationService
from autolend.services.approvals import ApprovalService
from autolend.services.audit import AuditService
from autolend.services.auth import AuthService
from autolend.services.bureau import BureauService
from autolend.services.consents import ConsentService
from autolend.services.contracts import ContractService
from autolend.services.customers import CustomerService
from autolend.services.decisioning import DecisionService
from autolend.services.eod import EodService
from autolend.services.eod_ports import EodJobs
from autolend.services.fees import FeeService
from autolend.services.keys import KeyRotationService
from autolend.services.loans import LoanService
from autolend.services.migration import MigrationService
from autolend.services.model_monitoring import ModelMonitoringService
from autolend.services.models import ModelService
from autolend.services.notifications import NotificationService
from autolend.services.origination import OriginationService
from autolend.services.policy_simulation import PolicySimulationService
from autolend.services.portfolio import PortfolioService
from autolend.services.ports import Clock
from autolend.services.products import ProductService
from autolend.services.review import ReviewService
from autolend.services.servicing import ServicingService
from autolend.services.subsidies import SubsidyService
from autolend.services.users import UserService
from autolend.services.verify import VerifyService


class ReadinessProbe(Protocol):
    def check(self) -> None:
        """Raise when the system of record cannot be reached."""
        ...


@dataclass(frozen=True)
class Services:
    clock: Clock
    readiness: ReadinessProbe
    auth: AuthService
    users: UserService
    customers: CustomerService
    audit: AuditService
    keys: KeyRotationService
    loans: LoanService
    servicing: ServicingService
    verify: VerifyService
    fees: FeeService
    approvals: ApprovalService
    models: ModelService
    model_monitoring: ModelMonitoringService
    consents: ConsentService
    bureau: BureauService
    migrations: MigrationService
    products: ProductService
    eod: EodService
    eod_jobs: EodJobs
    contracts: ContractService
    notifications: NotificationService
    applications: ApplicationService
    decisions: DecisionService
    policies: PolicySimulationService
    review: ReviewService
    origination: OriginationService
    subsidies: SubsidyService
    portfolio: PortfolioService
