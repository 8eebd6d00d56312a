/**
 * Types of the Refined Toolkit API, generated from packages/contracts/openapi.json by
 * openapi-typescript. Do not edit: run `npm run openapi -w @rt/contracts`.
 */

export interface paths {
    "/ops/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getOpsV1Audit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ops/v1/deletions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getOpsV1Deletions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ops/v1/migrations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getOpsV1Migrations"];
        put?: never;
        post: operations["postOpsV1Migrations"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ops/v1/migrations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getOpsV1MigrationsById"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ops/v1/migrations/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["postOpsV1MigrationsByIdCancel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ops/v1/migrations/{id}/commit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["postOpsV1MigrationsByIdCommit"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ops/v1/tenants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getOpsV1Tenants"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ops/v1/tenants/{clientKey}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getOpsV1TenantsByClientKey"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ops/v1/tenants/{clientKey}/purge": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["postOpsV1TenantsByClientKeyPurge"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: never;
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getOpsV1Audit: {
        parameters: {
            query: {
                /** @description action prefix */
                action?: string;
                /** @description id cursor */
                before?: string;
                limit: number;
                outcome?: string;
                subject?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            action: string;
                            /** Format: date-time */
                            at: string;
                            detail: unknown;
                            id: string;
                            outcome: string;
                            role: string;
                            subject: string;
                            target: string | null;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        details?: unknown;
                        message: string;
                        requestId: string;
                    };
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        details?: unknown;
                        message: string;
                        requestId: string;
                    };
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        details?: unknown;
                        message: string;
                        requestId: string;
                    };
                };
            };
        };
    };
    getOpsV1Deletions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            attempts: number;
                            clientKey: string;
                            completedAt: string | null;
                            /** Format: date-time */
                            dueAt: string;
                            /** Format: uuid */
                            id: string;
                            lastError: string | null;
                            percent: number;
                            reason: string;
                            receipt: unknown;
                            startedAt: string | null;
                            state: string;
                            /** Format: uuid */
                            tenantId: string;
                            /** Format: date-time */
                            uninstalledAt: string;
                        }[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        details?: unknown;
                        message: string;
                        requestId: string;
                    };
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        details?: unknown;
                        message: string;
                        requestId: string;
                    };
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        details?: unknown;
                        message: string;
                        requestId: string;
                    };
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        details?: unknown;
                        message: string;
                        requestId: string;
                    };
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        details?: unknown;
                        message: string;
                        requestId: string;
                    };
                };
            };
        };
    };
    getOpsV1Migrations: {
        parameters: {
            query: {
                clientKey?: string;
                limit: number;
                state?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            autoCommit: boolean;
                            cleanupDoneAt: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            deadlineAt: string | null;
                            errorCode: string | null;
                            errorMessage: string | null;
                            externalId: string | null;
                            /** Format: uuid */
                            id: string;
                            location: string;
                            origin: string;
                            percent: number;
                            progress: unknown;
                            requestedBy: string | null;
                            sourceRegion: string;
                            state: string;
                            targetRegion: string;
                            /** Format: uuid */
                            tenantId: string;
                            /** Format: date-time */
                            updatedAt: string;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        details?: unknown;
                        message: string;
                        requestId: string;
                    };
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        details?: unknown;
                        message: string;
                        requestId: string;
                    };
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        details?: unknown;
                        message: string;
                        requestId: string;
                    };
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        details?: unknown;
                        message: string;
                        requestId: string;
                    };
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        details?: unknown;
                        message: string;
                        requestId: string;
                    };
                };
            };
        };
    };
    postOpsV1Migrations: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description commit once verified
                     * @default true
                     */
                    autoCommit: boolean;
                    clientKey: string;
                    targetRegion: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        autoCommit: boolean;
                        cleanupDoneAt: string | null;
                        /** Format: date-time */
                        createdAt: string;
                        deadlineAt: string | null;
                        errorCode: string | null;
                        errorMessage: string | null;
                        externalId: string | null;
                        /** Format: uuid */
                        id: string;
                        location: string;
                        origin: string;
                        percent: number;
                        progress: unknown;
                        requestedBy: string | null;
                        sourceRegion: string;
                        state: string;
                        targetRegion: string;
                        /** Format: uuid */
                        tenantId: string;
                        /** Format: date-time */
                        updatedAt: string;
                    } & {
                        events: {
                            /** Format: date-time */
                            at: string;
                            detail: unknown;
                            fromState: string | null;
                            toState: string;
                        }[];
                        report: unknown;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        details?: unknown;
                        message: string;
                        requestId: string;
                    };
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        details?: unknown;
                        message: string;
                        requestId: string;
                    };
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        details?: unknown;
                        message: string;
                        requestId: string;
                    };
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        details?: unknown;
                        message: string;
                        requestId: string;
                    };
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        details?: unknown;
                        message: string;
                        requestId: string;
                    };
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        details?: unknown;
                        message: string;
                        requestId: string;
                    };
                };
            };
        };
    };
    getOpsV1MigrationsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        autoCommit: boolean;
                        cleanupDoneAt: string | null;
                        /** Format: date-time */
                        createdAt: string;
                        deadlineAt: string | null;
                        errorCode: string | null;
                        errorMessage: string | null;
                        externalId: string | null;
                        /** Format: uuid */
                        id: string;
                        location: string;
                        origin: string;
                        percent: number;
                        progress: unknown;
                        requestedBy: string | null;
                        sourceRegion: string;
                        state: string;
                        targetRegion: string;
                        /** Format: uuid */
                        tenantId: string;
                        /** Format: date-time */
                        updatedAt: string;
                    } & {
                        events: {
                            /** Format: date-time */
                            at: string;
                            detail: unknown;
                            fromState: string | null;
                            toState: string;
                        }[];
                        report: unknown;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        details?: unknown;
                        message: string;
                        requestId: string;
                    };
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        details?: unknown;
                        message: string;
                        requestId: string;
                    };
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        details?: unknown;
                        message: string;
                        requestId: string;
                    };
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        details?: unknown;
                        message: string;
                        requestId: string;
                    };
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        details?: unknown;
                        message: string;
                        requestId: string;
                    };
                };
            };
        };
    };
    postOpsV1MigrationsByIdCancel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        autoCommit: boolean;
                        cleanupDoneAt: string | null;
                        /** Format: date-time */
                        createdAt: string;
                        deadlineAt: string | null;
                        errorCode: string | null;
                        errorMessage: string | null;
                        externalId: string | null;
                        /** Format: uuid */
                        id: string;
                        location: string;
                        origin: string;
                        percent: number;
                        progress: unknown;
                        requestedBy: string | null;
                        sourceRegion: string;
                        state: string;
                        targetRegion: string;
                        /** Format: uuid */
                        tenantId: string;
                        /** Format: date-time */
                        updatedAt: string;
                    } & {
                        events: {
                            /** Format: date-time */
                            at: string;
                            detail: unknown;
                            fromState: string | null;
                            toState: string;
                        }[];
                        report: unknown;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        details?: unknown;
                        message: string;
                        requestId: string;
                    };
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        details?: unknown;
                        message: string;
                        requestId: string;
                    };
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        details?: unknown;
                        message: string;
                        requestId: string;
                    };
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        details?: unknown;
                        message: string;
                        requestId: string;
                    };
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        details?: unknown;
                        message: string;
                        requestId: string;
                    };
                };
            };
        };
    };
    postOpsV1MigrationsByIdCommit: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        autoCommit: boolean;
                        cleanupDoneAt: string | null;
                        /** Format: date-time */
                        createdAt: string;
                        deadlineAt: string | null;
                        errorCode: string | null;
                        errorMessage: string | null;
                        externalId: string | null;
                        /** Format: uuid */
                        id: string;
                        location: string;
                        origin: string;
                        percent: number;
                        progress: unknown;
                        requestedBy: string | null;
                        sourceRegion: string;
                        state: string;
                        targetRegion: string;
                        /** Format: uuid */
                        tenantId: string;
                        /** Format: date-time */
                        updatedAt: string;
                    } & {
                        events: {
                            /** Format: date-time */
                            at: string;
                            detail: unknown;
                            fromState: string | null;
                            toState: string;
                        }[];
                        report: unknown;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        details?: unknown;
                        message: string;
                        requestId: string;
                    };
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        details?: unknown;
                        message: string;
                        requestId: string;
                    };
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        details?: unknown;
                        message: string;
                        requestId: string;
                    };
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        details?: unknown;
                        message: string;
                        requestId: string;
                    };
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        details?: unknown;
                        message: string;
                        requestId: string;
                    };
                };
            };
        };
    };
    getOpsV1Tenants: {
        parameters: {
            query: {
                limit: number;
                region?: string;
                state?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            clientKey: string;
                            frozenByMigration: string | null;
                            homeRegion: string;
                            /** Format: uuid */
                            id: string;
                            /** Format: date-time */
                            installedAt: string;
                            platform: string;
                            revision: number;
                            state: string;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        details?: unknown;
                        message: string;
                        requestId: string;
                    };
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        details?: unknown;
                        message: string;
                        requestId: string;
                    };
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        details?: unknown;
                        message: string;
                        requestId: string;
                    };
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        details?: unknown;
                        message: string;
                        requestId: string;
                    };
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        details?: unknown;
                        message: string;
                        requestId: string;
                    };
                };
            };
        };
    };
    getOpsV1TenantsByClientKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clientKey: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        clientKey: string;
                        frozenByMigration: string | null;
                        homeRegion: string;
                        /** Format: uuid */
                        id: string;
                        /** Format: date-time */
                        installedAt: string;
                        platform: string;
                        revision: number;
                        state: string;
                    } & {
                        migrations: {
                            autoCommit: boolean;
                            cleanupDoneAt: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            deadlineAt: string | null;
                            errorCode: string | null;
                            errorMessage: string | null;
                            externalId: string | null;
                            /** Format: uuid */
                            id: string;
                            location: string;
                            origin: string;
                            percent: number;
                            progress: unknown;
                            requestedBy: string | null;
                            sourceRegion: string;
                            state: string;
                            targetRegion: string;
                            /** Format: uuid */
                            tenantId: string;
                            /** Format: date-time */
                            updatedAt: string;
                        }[];
                        size: {
                            bytes?: number;
                            objects?: number;
                            rows: number;
                        } | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        details?: unknown;
                        message: string;
                        requestId: string;
                    };
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        details?: unknown;
                        message: string;
                        requestId: string;
                    };
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        details?: unknown;
                        message: string;
                        requestId: string;
                    };
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        details?: unknown;
                        message: string;
                        requestId: string;
                    };
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        details?: unknown;
                        message: string;
                        requestId: string;
                    };
                };
            };
        };
    };
    postOpsV1TenantsByClientKeyPurge: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clientKey: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created: boolean;
                        deletion: {
                            attempts: number;
                            clientKey: string;
                            completedAt: string | null;
                            /** Format: date-time */
                            dueAt: string;
                            /** Format: uuid */
                            id: string;
                            lastError: string | null;
                            percent: number;
                            reason: string;
                            receipt: unknown;
                            startedAt: string | null;
                            state: string;
                            /** Format: uuid */
                            tenantId: string;
                            /** Format: date-time */
                            uninstalledAt: string;
                        };
                        enqueued: boolean;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        details?: unknown;
                        message: string;
                        requestId: string;
                    };
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        details?: unknown;
                        message: string;
                        requestId: string;
                    };
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        details?: unknown;
                        message: string;
                        requestId: string;
                    };
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        details?: unknown;
                        message: string;
                        requestId: string;
                    };
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        details?: unknown;
                        message: string;
                        requestId: string;
                    };
                };
            };
        };
    };
}
