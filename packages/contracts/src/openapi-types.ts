/**
 * Types of the Refined Toolkit API, generated from packages/contracts/openapi.json by
 * openapi-typescript. Do not edit: run `npm run openapi -w @rt/contracts`.
 */

export interface paths {
    "/api/v1/assets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getApiV1Assets"];
        put?: never;
        /** Upload an image: raw body with Content-Type image/png|jpeg|gif|webp|svg+xml, or multipart/form-data with one file part */
        post: operations["postApiV1Assets"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/assets/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getApiV1AssetsById"];
        put?: never;
        post?: never;
        delete: operations["deleteApiV1AssetsById"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/assets/{id}/url": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getApiV1AssetsByIdUrl"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Export the tenant's documents and asset manifest */
        get: operations["getApiV1Export"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/layouts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List layouts (cursor pagination; conditional with If-None-Match) */
        get: operations["getApiV1Layouts"];
        put?: never;
        /** Create a layout */
        post: operations["postApiV1Layouts"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/layouts/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a layout (conditional with If-None-Match) */
        get: operations["getApiV1LayoutsById"];
        /** Replace a layout (If-Match required) */
        put: operations["putApiV1LayoutsById"];
        post?: never;
        /** Delete a layout (If-Match required) */
        delete: operations["deleteApiV1LayoutsById"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/layouts/{id}/revisions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The last versions of a layout, newest first */
        get: operations["getApiV1LayoutsByIdRevisions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/layouts/{id}/revisions/{version}/restore": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Make a kept version current again (as a new version; If-Match required) */
        post: operations["postApiV1LayoutsByIdRevisionsByVersionRestore"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The site's settings */
        get: operations["getApiV1Settings"];
        /** Change the site's settings (Confluence administrators) */
        put: operations["putApiV1Settings"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/spaces/{spaceKey}/theme": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The theme that applies to a space: its own, else the tenant's default (conditional) */
        get: operations["getApiV1SpacesBySpaceKeyTheme"];
        /** Assign a theme to a space */
        put: operations["putApiV1SpacesBySpaceKeyTheme"];
        post?: never;
        /** Remove a space's theme (it falls back to the default) */
        delete: operations["deleteApiV1SpacesBySpaceKeyTheme"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/themes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List themes (cursor pagination; conditional with If-None-Match) */
        get: operations["getApiV1Themes"];
        put?: never;
        /** Create a theme */
        post: operations["postApiV1Themes"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/themes/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a theme (conditional with If-None-Match) */
        get: operations["getApiV1ThemesById"];
        /** Replace a theme (If-Match required) */
        put: operations["putApiV1ThemesById"];
        post?: never;
        /** Delete a theme (If-Match required) */
        delete: operations["deleteApiV1ThemesById"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/themes/{id}/copy": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Copy a theme (a new theme with the same tokens and images) */
        post: operations["postApiV1ThemesByIdCopy"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/themes/{id}/default": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Make a theme the tenant's default (the previous default stops being one) */
        put: operations["putApiV1ThemesByIdDefault"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/themes/{id}/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Export a theme as a JSON file (images by reference or inline) */
        get: operations["getApiV1ThemesByIdExport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/themes/{id}/revisions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The last versions of a theme, newest first */
        get: operations["getApiV1ThemesByIdRevisions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/themes/{id}/revisions/{version}/restore": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Make a kept version current again (as a new version; If-Match required) */
        post: operations["postApiV1ThemesByIdRevisionsByVersionRestore"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/themes/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create a theme from an exported theme file */
        post: operations["postApiV1ThemesImport"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
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
    "/ops/v1/deletions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getOpsV1DeletionsById"];
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
    getApiV1Assets: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
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
                            /** Format: date-time */
                            createdAt: string;
                            height: number | null;
                            /** Format: uuid */
                            id: string;
                            mediaType: "image/png" | "image/jpeg" | "image/gif" | "image/webp" | "image/svg+xml";
                            sha256: string;
                            /** @description bytes stored (after stripping) */
                            size: number;
                            usages: {
                                /** Format: uuid */
                                documentId: string;
                                documentType: string;
                            }[];
                            width: number | null;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Error */
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
        };
    };
    postApiV1Assets: {
        parameters: {
            query?: {
                scope?: string;
            };
            header: {
                "content-type": string;
            };
            path?: never;
            cookie?: never;
        };
        /** @description image bytes (binary) */
        requestBody: {
            content: {
                "application/json": unknown;
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        createdAt: string;
                        /** @description true when these bytes were already stored */
                        deduplicated: boolean;
                        height: number | null;
                        /** Format: uuid */
                        id: string;
                        mediaType: "image/png" | "image/jpeg" | "image/gif" | "image/webp" | "image/svg+xml";
                        sha256: string;
                        /** @description bytes stored (after stripping) */
                        size: number;
                        width: number | null;
                    };
                };
            };
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        createdAt: string;
                        /** @description true when these bytes were already stored */
                        deduplicated: boolean;
                        height: number | null;
                        /** Format: uuid */
                        id: string;
                        mediaType: "image/png" | "image/jpeg" | "image/gif" | "image/webp" | "image/svg+xml";
                        sha256: string;
                        /** @description bytes stored (after stripping) */
                        size: number;
                        width: number | null;
                    };
                };
            };
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
            413: {
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
            /** @description Error */
            415: {
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
            /** @description Error */
            422: {
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
            /** @description Error */
            503: {
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
    getApiV1AssetsById: {
        parameters: {
            query?: never;
            header?: {
                "if-none-match"?: string;
            };
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
                    "application/json": string;
                };
            };
            /** @description Default Response */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
            503: {
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
    deleteApiV1AssetsById: {
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
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
            503: {
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
    getApiV1AssetsByIdUrl: {
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
                        /** Format: date-time */
                        expiresAt: string;
                        url: string;
                    };
                };
            };
            /** @description Error */
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
            /** @description Error */
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
        };
    };
    getApiV1Export: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description everything the tenant stored in its home region */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        assets: {
                            /** Format: date-time */
                            createdAt: string;
                            height: number | null;
                            id: string;
                            mediaType: string;
                            sha256: string;
                            size: number;
                            width: number | null;
                        }[];
                        /** Format: date-time */
                        exportedAt: string;
                        /** @enum {string} */
                        format: "refined-toolkit-export";
                        /** @enum {number} */
                        formatVersion: 1;
                        layouts: {
                            [key: string]: unknown;
                        }[];
                        spaceThemes: {
                            spaceKey: string;
                            themeId: string;
                        }[];
                        themes: {
                            [key: string]: unknown;
                        }[];
                    };
                };
            };
            /** @description Error */
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
        };
    };
    getApiV1Layouts: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                /** @description `site` or `space:<spaceKey>` */
                scope?: string;
            };
            header?: {
                /** @description ETag(s) of the copy the client holds */
                "if-none-match"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    /** @description digest of the page */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** @description UUID */
                            id: string;
                            name: string;
                            schemaVersion: number;
                            scope: string;
                            /** Format: date-time */
                            updatedAt: string;
                            version: number;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description not modified: the ETag sent in If-None-Match is current (no body) */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Error */
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
            /** @description Error */
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
        };
    };
    postApiV1Layouts: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** LayoutContentV1 */
                    content: {
                        blocks: ({
                            body: string;
                            /** @description grid column the block sits in */
                            column: number;
                            id: string;
                            title?: string;
                            /** @enum {string} */
                            type: "rich-text";
                        } | {
                            alt: string;
                            /** @description grid column the block sits in */
                            column: number;
                            id: string;
                            image: {
                                /** @description UUID */
                                $asset: string;
                            };
                            link?: {
                                /** @description Confluence content id */
                                pageId: string;
                                /** @enum {string} */
                                type: "page";
                            } | {
                                /** @description Confluence space key */
                                spaceKey: string;
                                /** @enum {string} */
                                type: "space";
                            } | {
                                /** @enum {string} */
                                type: "url";
                                url: string;
                            };
                            title?: string;
                            /** @enum {string} */
                            type: "image";
                        } | {
                            /** @description grid column the block sits in */
                            column: number;
                            depth: number;
                            id: string;
                            /** @description Confluence content id */
                            rootPageId?: string;
                            title?: string;
                            /** @enum {string} */
                            type: "page-tree";
                        } | {
                            /** @description grid column the block sits in */
                            column: number;
                            id: string;
                            links: {
                                label: string;
                                openInNewTab?: boolean;
                                target: {
                                    /** @description Confluence content id */
                                    pageId: string;
                                    /** @enum {string} */
                                    type: "page";
                                } | {
                                    /** @description Confluence space key */
                                    spaceKey: string;
                                    /** @enum {string} */
                                    type: "space";
                                } | {
                                    /** @enum {string} */
                                    type: "url";
                                    url: string;
                                };
                            }[];
                            title?: string;
                            /** @enum {string} */
                            type: "link-list";
                        } | {
                            /** @description grid column the block sits in */
                            column: number;
                            id: string;
                            limit: number;
                            spaceKeys?: string[];
                            title?: string;
                            /** @enum {string} */
                            type: "recent-updates";
                        } | {
                            /** @description grid column the block sits in */
                            column: number;
                            id: string;
                            placeholder?: string;
                            title?: string;
                            /** @enum {string} */
                            type: "search";
                        } | {
                            cards: {
                                image?: {
                                    /** @description UUID */
                                    $asset: string;
                                };
                                target?: {
                                    /** @description Confluence content id */
                                    pageId: string;
                                    /** @enum {string} */
                                    type: "page";
                                } | {
                                    /** @description Confluence space key */
                                    spaceKey: string;
                                    /** @enum {string} */
                                    type: "space";
                                } | {
                                    /** @enum {string} */
                                    type: "url";
                                    url: string;
                                };
                                text?: string;
                                title: string;
                            }[];
                            /** @description grid column the block sits in */
                            column: number;
                            id: string;
                            title?: string;
                            /** @enum {string} */
                            type: "cards";
                        })[];
                        footer?: {
                            links?: {
                                label: string;
                                openInNewTab?: boolean;
                                target: {
                                    /** @description Confluence content id */
                                    pageId: string;
                                    /** @enum {string} */
                                    type: "page";
                                } | {
                                    /** @description Confluence space key */
                                    spaceKey: string;
                                    /** @enum {string} */
                                    type: "space";
                                } | {
                                    /** @enum {string} */
                                    type: "url";
                                    url: string;
                                };
                            }[];
                            text?: string;
                        };
                        grid: {
                            columns: number;
                            maxWidth: "full" | number;
                        };
                        header: {
                            backgroundImage?: {
                                /** @description UUID */
                                $asset: string;
                            };
                            height: "compact" | "regular" | "tall";
                            links?: {
                                label: string;
                                openInNewTab?: boolean;
                                target: {
                                    /** @description Confluence content id */
                                    pageId: string;
                                    /** @enum {string} */
                                    type: "page";
                                } | {
                                    /** @description Confluence space key */
                                    spaceKey: string;
                                    /** @enum {string} */
                                    type: "space";
                                } | {
                                    /** @enum {string} */
                                    type: "url";
                                    url: string;
                                };
                            }[];
                            logo?: {
                                /** @description UUID */
                                $asset: string;
                            };
                            showSearch?: boolean;
                            title?: string;
                            visible: boolean;
                        };
                        navigation: {
                            items: {
                                children?: {
                                    icon?: {
                                        /** @description UUID */
                                        $asset: string;
                                    };
                                    label: string;
                                    target: {
                                        /** @description Confluence content id */
                                        pageId: string;
                                        /** @enum {string} */
                                        type: "page";
                                    } | {
                                        /** @description Confluence space key */
                                        spaceKey: string;
                                        /** @enum {string} */
                                        type: "space";
                                    } | {
                                        /** @enum {string} */
                                        type: "url";
                                        url: string;
                                    };
                                }[];
                                icon?: {
                                    /** @description UUID */
                                    $asset: string;
                                };
                                label: string;
                                target?: {
                                    /** @description Confluence content id */
                                    pageId: string;
                                    /** @enum {string} */
                                    type: "page";
                                } | {
                                    /** @description Confluence space key */
                                    spaceKey: string;
                                    /** @enum {string} */
                                    type: "space";
                                } | {
                                    /** @enum {string} */
                                    type: "url";
                                    url: string;
                                };
                            }[];
                            position: "top" | "left";
                            style: "page-tree" | "tabs" | "mega-menu" | "none";
                        };
                        /** @enum {number} */
                        schemaVersion: 1;
                    };
                    name: string;
                    /**
                     * @description `site` or `space:<spaceKey>`
                     * @example site
                     * @example space:DOCS
                     */
                    scope: string;
                };
            };
        };
        responses: {
            /** @description created */
            201: {
                headers: {
                    /** @description the version, quoted (`"3-default"` for the default theme) */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** LayoutContentV1 */
                        content: {
                            blocks: ({
                                body: string;
                                /** @description grid column the block sits in */
                                column: number;
                                id: string;
                                title?: string;
                                /** @enum {string} */
                                type: "rich-text";
                            } | {
                                alt: string;
                                /** @description grid column the block sits in */
                                column: number;
                                id: string;
                                image: {
                                    /** @description UUID */
                                    $asset: string;
                                };
                                link?: {
                                    /** @description Confluence content id */
                                    pageId: string;
                                    /** @enum {string} */
                                    type: "page";
                                } | {
                                    /** @description Confluence space key */
                                    spaceKey: string;
                                    /** @enum {string} */
                                    type: "space";
                                } | {
                                    /** @enum {string} */
                                    type: "url";
                                    url: string;
                                };
                                title?: string;
                                /** @enum {string} */
                                type: "image";
                            } | {
                                /** @description grid column the block sits in */
                                column: number;
                                depth: number;
                                id: string;
                                /** @description Confluence content id */
                                rootPageId?: string;
                                title?: string;
                                /** @enum {string} */
                                type: "page-tree";
                            } | {
                                /** @description grid column the block sits in */
                                column: number;
                                id: string;
                                links: {
                                    label: string;
                                    openInNewTab?: boolean;
                                    target: {
                                        /** @description Confluence content id */
                                        pageId: string;
                                        /** @enum {string} */
                                        type: "page";
                                    } | {
                                        /** @description Confluence space key */
                                        spaceKey: string;
                                        /** @enum {string} */
                                        type: "space";
                                    } | {
                                        /** @enum {string} */
                                        type: "url";
                                        url: string;
                                    };
                                }[];
                                title?: string;
                                /** @enum {string} */
                                type: "link-list";
                            } | {
                                /** @description grid column the block sits in */
                                column: number;
                                id: string;
                                limit: number;
                                spaceKeys?: string[];
                                title?: string;
                                /** @enum {string} */
                                type: "recent-updates";
                            } | {
                                /** @description grid column the block sits in */
                                column: number;
                                id: string;
                                placeholder?: string;
                                title?: string;
                                /** @enum {string} */
                                type: "search";
                            } | {
                                cards: {
                                    image?: {
                                        /** @description UUID */
                                        $asset: string;
                                    };
                                    target?: {
                                        /** @description Confluence content id */
                                        pageId: string;
                                        /** @enum {string} */
                                        type: "page";
                                    } | {
                                        /** @description Confluence space key */
                                        spaceKey: string;
                                        /** @enum {string} */
                                        type: "space";
                                    } | {
                                        /** @enum {string} */
                                        type: "url";
                                        url: string;
                                    };
                                    text?: string;
                                    title: string;
                                }[];
                                /** @description grid column the block sits in */
                                column: number;
                                id: string;
                                title?: string;
                                /** @enum {string} */
                                type: "cards";
                            })[];
                            footer?: {
                                links?: {
                                    label: string;
                                    openInNewTab?: boolean;
                                    target: {
                                        /** @description Confluence content id */
                                        pageId: string;
                                        /** @enum {string} */
                                        type: "page";
                                    } | {
                                        /** @description Confluence space key */
                                        spaceKey: string;
                                        /** @enum {string} */
                                        type: "space";
                                    } | {
                                        /** @enum {string} */
                                        type: "url";
                                        url: string;
                                    };
                                }[];
                                text?: string;
                            };
                            grid: {
                                columns: number;
                                maxWidth: "full" | number;
                            };
                            header: {
                                backgroundImage?: {
                                    /** @description UUID */
                                    $asset: string;
                                };
                                height: "compact" | "regular" | "tall";
                                links?: {
                                    label: string;
                                    openInNewTab?: boolean;
                                    target: {
                                        /** @description Confluence content id */
                                        pageId: string;
                                        /** @enum {string} */
                                        type: "page";
                                    } | {
                                        /** @description Confluence space key */
                                        spaceKey: string;
                                        /** @enum {string} */
                                        type: "space";
                                    } | {
                                        /** @enum {string} */
                                        type: "url";
                                        url: string;
                                    };
                                }[];
                                logo?: {
                                    /** @description UUID */
                                    $asset: string;
                                };
                                showSearch?: boolean;
                                title?: string;
                                visible: boolean;
                            };
                            navigation: {
                                items: {
                                    children?: {
                                        icon?: {
                                            /** @description UUID */
                                            $asset: string;
                                        };
                                        label: string;
                                        target: {
                                            /** @description Confluence content id */
                                            pageId: string;
                                            /** @enum {string} */
                                            type: "page";
                                        } | {
                                            /** @description Confluence space key */
                                            spaceKey: string;
                                            /** @enum {string} */
                                            type: "space";
                                        } | {
                                            /** @enum {string} */
                                            type: "url";
                                            url: string;
                                        };
                                    }[];
                                    icon?: {
                                        /** @description UUID */
                                        $asset: string;
                                    };
                                    label: string;
                                    target?: {
                                        /** @description Confluence content id */
                                        pageId: string;
                                        /** @enum {string} */
                                        type: "page";
                                    } | {
                                        /** @description Confluence space key */
                                        spaceKey: string;
                                        /** @enum {string} */
                                        type: "space";
                                    } | {
                                        /** @enum {string} */
                                        type: "url";
                                        url: string;
                                    };
                                }[];
                                position: "top" | "left";
                                style: "page-tree" | "tabs" | "mega-menu" | "none";
                            };
                            /** @enum {number} */
                            schemaVersion: 1;
                        };
                        /** Format: date-time */
                        createdAt: string;
                        /** @description UUID */
                        id: string;
                        name: string;
                        schemaVersion: number;
                        /**
                         * @description `site` or `space:<spaceKey>`
                         * @example site
                         * @example space:DOCS
                         */
                        scope: string;
                        /** Format: date-time */
                        updatedAt: string;
                        /** @description also sent as the ETag */
                        version: number;
                    };
                };
            };
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
            413: {
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
            /** @description Error */
            415: {
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
    getApiV1LayoutsById: {
        parameters: {
            query?: never;
            header?: {
                /** @description ETag(s) of the copy the client holds */
                "if-none-match"?: string;
            };
            path: {
                /** @description UUID */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the current version */
            200: {
                headers: {
                    /** @description the version, quoted (`"3-default"` for the default theme) */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** LayoutContentV1 */
                        content: {
                            blocks: ({
                                body: string;
                                /** @description grid column the block sits in */
                                column: number;
                                id: string;
                                title?: string;
                                /** @enum {string} */
                                type: "rich-text";
                            } | {
                                alt: string;
                                /** @description grid column the block sits in */
                                column: number;
                                id: string;
                                image: {
                                    /** @description UUID */
                                    $asset: string;
                                };
                                link?: {
                                    /** @description Confluence content id */
                                    pageId: string;
                                    /** @enum {string} */
                                    type: "page";
                                } | {
                                    /** @description Confluence space key */
                                    spaceKey: string;
                                    /** @enum {string} */
                                    type: "space";
                                } | {
                                    /** @enum {string} */
                                    type: "url";
                                    url: string;
                                };
                                title?: string;
                                /** @enum {string} */
                                type: "image";
                            } | {
                                /** @description grid column the block sits in */
                                column: number;
                                depth: number;
                                id: string;
                                /** @description Confluence content id */
                                rootPageId?: string;
                                title?: string;
                                /** @enum {string} */
                                type: "page-tree";
                            } | {
                                /** @description grid column the block sits in */
                                column: number;
                                id: string;
                                links: {
                                    label: string;
                                    openInNewTab?: boolean;
                                    target: {
                                        /** @description Confluence content id */
                                        pageId: string;
                                        /** @enum {string} */
                                        type: "page";
                                    } | {
                                        /** @description Confluence space key */
                                        spaceKey: string;
                                        /** @enum {string} */
                                        type: "space";
                                    } | {
                                        /** @enum {string} */
                                        type: "url";
                                        url: string;
                                    };
                                }[];
                                title?: string;
                                /** @enum {string} */
                                type: "link-list";
                            } | {
                                /** @description grid column the block sits in */
                                column: number;
                                id: string;
                                limit: number;
                                spaceKeys?: string[];
                                title?: string;
                                /** @enum {string} */
                                type: "recent-updates";
                            } | {
                                /** @description grid column the block sits in */
                                column: number;
                                id: string;
                                placeholder?: string;
                                title?: string;
                                /** @enum {string} */
                                type: "search";
                            } | {
                                cards: {
                                    image?: {
                                        /** @description UUID */
                                        $asset: string;
                                    };
                                    target?: {
                                        /** @description Confluence content id */
                                        pageId: string;
                                        /** @enum {string} */
                                        type: "page";
                                    } | {
                                        /** @description Confluence space key */
                                        spaceKey: string;
                                        /** @enum {string} */
                                        type: "space";
                                    } | {
                                        /** @enum {string} */
                                        type: "url";
                                        url: string;
                                    };
                                    text?: string;
                                    title: string;
                                }[];
                                /** @description grid column the block sits in */
                                column: number;
                                id: string;
                                title?: string;
                                /** @enum {string} */
                                type: "cards";
                            })[];
                            footer?: {
                                links?: {
                                    label: string;
                                    openInNewTab?: boolean;
                                    target: {
                                        /** @description Confluence content id */
                                        pageId: string;
                                        /** @enum {string} */
                                        type: "page";
                                    } | {
                                        /** @description Confluence space key */
                                        spaceKey: string;
                                        /** @enum {string} */
                                        type: "space";
                                    } | {
                                        /** @enum {string} */
                                        type: "url";
                                        url: string;
                                    };
                                }[];
                                text?: string;
                            };
                            grid: {
                                columns: number;
                                maxWidth: "full" | number;
                            };
                            header: {
                                backgroundImage?: {
                                    /** @description UUID */
                                    $asset: string;
                                };
                                height: "compact" | "regular" | "tall";
                                links?: {
                                    label: string;
                                    openInNewTab?: boolean;
                                    target: {
                                        /** @description Confluence content id */
                                        pageId: string;
                                        /** @enum {string} */
                                        type: "page";
                                    } | {
                                        /** @description Confluence space key */
                                        spaceKey: string;
                                        /** @enum {string} */
                                        type: "space";
                                    } | {
                                        /** @enum {string} */
                                        type: "url";
                                        url: string;
                                    };
                                }[];
                                logo?: {
                                    /** @description UUID */
                                    $asset: string;
                                };
                                showSearch?: boolean;
                                title?: string;
                                visible: boolean;
                            };
                            navigation: {
                                items: {
                                    children?: {
                                        icon?: {
                                            /** @description UUID */
                                            $asset: string;
                                        };
                                        label: string;
                                        target: {
                                            /** @description Confluence content id */
                                            pageId: string;
                                            /** @enum {string} */
                                            type: "page";
                                        } | {
                                            /** @description Confluence space key */
                                            spaceKey: string;
                                            /** @enum {string} */
                                            type: "space";
                                        } | {
                                            /** @enum {string} */
                                            type: "url";
                                            url: string;
                                        };
                                    }[];
                                    icon?: {
                                        /** @description UUID */
                                        $asset: string;
                                    };
                                    label: string;
                                    target?: {
                                        /** @description Confluence content id */
                                        pageId: string;
                                        /** @enum {string} */
                                        type: "page";
                                    } | {
                                        /** @description Confluence space key */
                                        spaceKey: string;
                                        /** @enum {string} */
                                        type: "space";
                                    } | {
                                        /** @enum {string} */
                                        type: "url";
                                        url: string;
                                    };
                                }[];
                                position: "top" | "left";
                                style: "page-tree" | "tabs" | "mega-menu" | "none";
                            };
                            /** @enum {number} */
                            schemaVersion: 1;
                        };
                        /** Format: date-time */
                        createdAt: string;
                        /** @description UUID */
                        id: string;
                        name: string;
                        schemaVersion: number;
                        /**
                         * @description `site` or `space:<spaceKey>`
                         * @example site
                         * @example space:DOCS
                         */
                        scope: string;
                        /** Format: date-time */
                        updatedAt: string;
                        /** @description also sent as the ETag */
                        version: number;
                    };
                };
            };
            /** @description not modified: the ETag sent in If-None-Match is current (no body) */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
        };
    };
    putApiV1LayoutsById: {
        parameters: {
            query?: never;
            header?: {
                /** @description ETag of the version being replaced (required) */
                "if-match"?: string;
            };
            path: {
                /** @description UUID */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** LayoutContentV1 */
                    content: {
                        blocks: ({
                            body: string;
                            /** @description grid column the block sits in */
                            column: number;
                            id: string;
                            title?: string;
                            /** @enum {string} */
                            type: "rich-text";
                        } | {
                            alt: string;
                            /** @description grid column the block sits in */
                            column: number;
                            id: string;
                            image: {
                                /** @description UUID */
                                $asset: string;
                            };
                            link?: {
                                /** @description Confluence content id */
                                pageId: string;
                                /** @enum {string} */
                                type: "page";
                            } | {
                                /** @description Confluence space key */
                                spaceKey: string;
                                /** @enum {string} */
                                type: "space";
                            } | {
                                /** @enum {string} */
                                type: "url";
                                url: string;
                            };
                            title?: string;
                            /** @enum {string} */
                            type: "image";
                        } | {
                            /** @description grid column the block sits in */
                            column: number;
                            depth: number;
                            id: string;
                            /** @description Confluence content id */
                            rootPageId?: string;
                            title?: string;
                            /** @enum {string} */
                            type: "page-tree";
                        } | {
                            /** @description grid column the block sits in */
                            column: number;
                            id: string;
                            links: {
                                label: string;
                                openInNewTab?: boolean;
                                target: {
                                    /** @description Confluence content id */
                                    pageId: string;
                                    /** @enum {string} */
                                    type: "page";
                                } | {
                                    /** @description Confluence space key */
                                    spaceKey: string;
                                    /** @enum {string} */
                                    type: "space";
                                } | {
                                    /** @enum {string} */
                                    type: "url";
                                    url: string;
                                };
                            }[];
                            title?: string;
                            /** @enum {string} */
                            type: "link-list";
                        } | {
                            /** @description grid column the block sits in */
                            column: number;
                            id: string;
                            limit: number;
                            spaceKeys?: string[];
                            title?: string;
                            /** @enum {string} */
                            type: "recent-updates";
                        } | {
                            /** @description grid column the block sits in */
                            column: number;
                            id: string;
                            placeholder?: string;
                            title?: string;
                            /** @enum {string} */
                            type: "search";
                        } | {
                            cards: {
                                image?: {
                                    /** @description UUID */
                                    $asset: string;
                                };
                                target?: {
                                    /** @description Confluence content id */
                                    pageId: string;
                                    /** @enum {string} */
                                    type: "page";
                                } | {
                                    /** @description Confluence space key */
                                    spaceKey: string;
                                    /** @enum {string} */
                                    type: "space";
                                } | {
                                    /** @enum {string} */
                                    type: "url";
                                    url: string;
                                };
                                text?: string;
                                title: string;
                            }[];
                            /** @description grid column the block sits in */
                            column: number;
                            id: string;
                            title?: string;
                            /** @enum {string} */
                            type: "cards";
                        })[];
                        footer?: {
                            links?: {
                                label: string;
                                openInNewTab?: boolean;
                                target: {
                                    /** @description Confluence content id */
                                    pageId: string;
                                    /** @enum {string} */
                                    type: "page";
                                } | {
                                    /** @description Confluence space key */
                                    spaceKey: string;
                                    /** @enum {string} */
                                    type: "space";
                                } | {
                                    /** @enum {string} */
                                    type: "url";
                                    url: string;
                                };
                            }[];
                            text?: string;
                        };
                        grid: {
                            columns: number;
                            maxWidth: "full" | number;
                        };
                        header: {
                            backgroundImage?: {
                                /** @description UUID */
                                $asset: string;
                            };
                            height: "compact" | "regular" | "tall";
                            links?: {
                                label: string;
                                openInNewTab?: boolean;
                                target: {
                                    /** @description Confluence content id */
                                    pageId: string;
                                    /** @enum {string} */
                                    type: "page";
                                } | {
                                    /** @description Confluence space key */
                                    spaceKey: string;
                                    /** @enum {string} */
                                    type: "space";
                                } | {
                                    /** @enum {string} */
                                    type: "url";
                                    url: string;
                                };
                            }[];
                            logo?: {
                                /** @description UUID */
                                $asset: string;
                            };
                            showSearch?: boolean;
                            title?: string;
                            visible: boolean;
                        };
                        navigation: {
                            items: {
                                children?: {
                                    icon?: {
                                        /** @description UUID */
                                        $asset: string;
                                    };
                                    label: string;
                                    target: {
                                        /** @description Confluence content id */
                                        pageId: string;
                                        /** @enum {string} */
                                        type: "page";
                                    } | {
                                        /** @description Confluence space key */
                                        spaceKey: string;
                                        /** @enum {string} */
                                        type: "space";
                                    } | {
                                        /** @enum {string} */
                                        type: "url";
                                        url: string;
                                    };
                                }[];
                                icon?: {
                                    /** @description UUID */
                                    $asset: string;
                                };
                                label: string;
                                target?: {
                                    /** @description Confluence content id */
                                    pageId: string;
                                    /** @enum {string} */
                                    type: "page";
                                } | {
                                    /** @description Confluence space key */
                                    spaceKey: string;
                                    /** @enum {string} */
                                    type: "space";
                                } | {
                                    /** @enum {string} */
                                    type: "url";
                                    url: string;
                                };
                            }[];
                            position: "top" | "left";
                            style: "page-tree" | "tabs" | "mega-menu" | "none";
                        };
                        /** @enum {number} */
                        schemaVersion: 1;
                    };
                    name: string;
                    /**
                     * @description `site` or `space:<spaceKey>`
                     * @example site
                     * @example space:DOCS
                     */
                    scope: string;
                };
            };
        };
        responses: {
            /** @description the new version */
            200: {
                headers: {
                    /** @description the version, quoted (`"3-default"` for the default theme) */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** LayoutContentV1 */
                        content: {
                            blocks: ({
                                body: string;
                                /** @description grid column the block sits in */
                                column: number;
                                id: string;
                                title?: string;
                                /** @enum {string} */
                                type: "rich-text";
                            } | {
                                alt: string;
                                /** @description grid column the block sits in */
                                column: number;
                                id: string;
                                image: {
                                    /** @description UUID */
                                    $asset: string;
                                };
                                link?: {
                                    /** @description Confluence content id */
                                    pageId: string;
                                    /** @enum {string} */
                                    type: "page";
                                } | {
                                    /** @description Confluence space key */
                                    spaceKey: string;
                                    /** @enum {string} */
                                    type: "space";
                                } | {
                                    /** @enum {string} */
                                    type: "url";
                                    url: string;
                                };
                                title?: string;
                                /** @enum {string} */
                                type: "image";
                            } | {
                                /** @description grid column the block sits in */
                                column: number;
                                depth: number;
                                id: string;
                                /** @description Confluence content id */
                                rootPageId?: string;
                                title?: string;
                                /** @enum {string} */
                                type: "page-tree";
                            } | {
                                /** @description grid column the block sits in */
                                column: number;
                                id: string;
                                links: {
                                    label: string;
                                    openInNewTab?: boolean;
                                    target: {
                                        /** @description Confluence content id */
                                        pageId: string;
                                        /** @enum {string} */
                                        type: "page";
                                    } | {
                                        /** @description Confluence space key */
                                        spaceKey: string;
                                        /** @enum {string} */
                                        type: "space";
                                    } | {
                                        /** @enum {string} */
                                        type: "url";
                                        url: string;
                                    };
                                }[];
                                title?: string;
                                /** @enum {string} */
                                type: "link-list";
                            } | {
                                /** @description grid column the block sits in */
                                column: number;
                                id: string;
                                limit: number;
                                spaceKeys?: string[];
                                title?: string;
                                /** @enum {string} */
                                type: "recent-updates";
                            } | {
                                /** @description grid column the block sits in */
                                column: number;
                                id: string;
                                placeholder?: string;
                                title?: string;
                                /** @enum {string} */
                                type: "search";
                            } | {
                                cards: {
                                    image?: {
                                        /** @description UUID */
                                        $asset: string;
                                    };
                                    target?: {
                                        /** @description Confluence content id */
                                        pageId: string;
                                        /** @enum {string} */
                                        type: "page";
                                    } | {
                                        /** @description Confluence space key */
                                        spaceKey: string;
                                        /** @enum {string} */
                                        type: "space";
                                    } | {
                                        /** @enum {string} */
                                        type: "url";
                                        url: string;
                                    };
                                    text?: string;
                                    title: string;
                                }[];
                                /** @description grid column the block sits in */
                                column: number;
                                id: string;
                                title?: string;
                                /** @enum {string} */
                                type: "cards";
                            })[];
                            footer?: {
                                links?: {
                                    label: string;
                                    openInNewTab?: boolean;
                                    target: {
                                        /** @description Confluence content id */
                                        pageId: string;
                                        /** @enum {string} */
                                        type: "page";
                                    } | {
                                        /** @description Confluence space key */
                                        spaceKey: string;
                                        /** @enum {string} */
                                        type: "space";
                                    } | {
                                        /** @enum {string} */
                                        type: "url";
                                        url: string;
                                    };
                                }[];
                                text?: string;
                            };
                            grid: {
                                columns: number;
                                maxWidth: "full" | number;
                            };
                            header: {
                                backgroundImage?: {
                                    /** @description UUID */
                                    $asset: string;
                                };
                                height: "compact" | "regular" | "tall";
                                links?: {
                                    label: string;
                                    openInNewTab?: boolean;
                                    target: {
                                        /** @description Confluence content id */
                                        pageId: string;
                                        /** @enum {string} */
                                        type: "page";
                                    } | {
                                        /** @description Confluence space key */
                                        spaceKey: string;
                                        /** @enum {string} */
                                        type: "space";
                                    } | {
                                        /** @enum {string} */
                                        type: "url";
                                        url: string;
                                    };
                                }[];
                                logo?: {
                                    /** @description UUID */
                                    $asset: string;
                                };
                                showSearch?: boolean;
                                title?: string;
                                visible: boolean;
                            };
                            navigation: {
                                items: {
                                    children?: {
                                        icon?: {
                                            /** @description UUID */
                                            $asset: string;
                                        };
                                        label: string;
                                        target: {
                                            /** @description Confluence content id */
                                            pageId: string;
                                            /** @enum {string} */
                                            type: "page";
                                        } | {
                                            /** @description Confluence space key */
                                            spaceKey: string;
                                            /** @enum {string} */
                                            type: "space";
                                        } | {
                                            /** @enum {string} */
                                            type: "url";
                                            url: string;
                                        };
                                    }[];
                                    icon?: {
                                        /** @description UUID */
                                        $asset: string;
                                    };
                                    label: string;
                                    target?: {
                                        /** @description Confluence content id */
                                        pageId: string;
                                        /** @enum {string} */
                                        type: "page";
                                    } | {
                                        /** @description Confluence space key */
                                        spaceKey: string;
                                        /** @enum {string} */
                                        type: "space";
                                    } | {
                                        /** @enum {string} */
                                        type: "url";
                                        url: string;
                                    };
                                }[];
                                position: "top" | "left";
                                style: "page-tree" | "tabs" | "mega-menu" | "none";
                            };
                            /** @enum {number} */
                            schemaVersion: 1;
                        };
                        /** Format: date-time */
                        createdAt: string;
                        /** @description UUID */
                        id: string;
                        name: string;
                        schemaVersion: number;
                        /**
                         * @description `site` or `space:<spaceKey>`
                         * @example site
                         * @example space:DOCS
                         */
                        scope: string;
                        /** Format: date-time */
                        updatedAt: string;
                        /** @description also sent as the ETag */
                        version: number;
                    };
                };
            };
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
            412: {
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
            /** @description Error */
            413: {
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
            /** @description Error */
            415: {
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
            /** @description Error */
            428: {
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
    deleteApiV1LayoutsById: {
        parameters: {
            query?: never;
            header?: {
                /** @description ETag of the version being replaced (required) */
                "if-match"?: string;
            };
            path: {
                /** @description UUID */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
            412: {
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
            /** @description Error */
            428: {
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
    getApiV1LayoutsByIdRevisions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID */
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
                        items: {
                            /** Format: date-time */
                            createdAt: string;
                            name: string;
                            schemaVersion: number;
                            scope: string;
                            version: number;
                        }[];
                    };
                };
            };
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
        };
    };
    postApiV1LayoutsByIdRevisionsByVersionRestore: {
        parameters: {
            query?: never;
            header?: {
                /** @description ETag of the version being replaced (required) */
                "if-match"?: string;
            };
            path: {
                /** @description UUID */
                id: string;
                version: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the new version */
            200: {
                headers: {
                    /** @description the version, quoted (`"3-default"` for the default theme) */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** LayoutContentV1 */
                        content: {
                            blocks: ({
                                body: string;
                                /** @description grid column the block sits in */
                                column: number;
                                id: string;
                                title?: string;
                                /** @enum {string} */
                                type: "rich-text";
                            } | {
                                alt: string;
                                /** @description grid column the block sits in */
                                column: number;
                                id: string;
                                image: {
                                    /** @description UUID */
                                    $asset: string;
                                };
                                link?: {
                                    /** @description Confluence content id */
                                    pageId: string;
                                    /** @enum {string} */
                                    type: "page";
                                } | {
                                    /** @description Confluence space key */
                                    spaceKey: string;
                                    /** @enum {string} */
                                    type: "space";
                                } | {
                                    /** @enum {string} */
                                    type: "url";
                                    url: string;
                                };
                                title?: string;
                                /** @enum {string} */
                                type: "image";
                            } | {
                                /** @description grid column the block sits in */
                                column: number;
                                depth: number;
                                id: string;
                                /** @description Confluence content id */
                                rootPageId?: string;
                                title?: string;
                                /** @enum {string} */
                                type: "page-tree";
                            } | {
                                /** @description grid column the block sits in */
                                column: number;
                                id: string;
                                links: {
                                    label: string;
                                    openInNewTab?: boolean;
                                    target: {
                                        /** @description Confluence content id */
                                        pageId: string;
                                        /** @enum {string} */
                                        type: "page";
                                    } | {
                                        /** @description Confluence space key */
                                        spaceKey: string;
                                        /** @enum {string} */
                                        type: "space";
                                    } | {
                                        /** @enum {string} */
                                        type: "url";
                                        url: string;
                                    };
                                }[];
                                title?: string;
                                /** @enum {string} */
                                type: "link-list";
                            } | {
                                /** @description grid column the block sits in */
                                column: number;
                                id: string;
                                limit: number;
                                spaceKeys?: string[];
                                title?: string;
                                /** @enum {string} */
                                type: "recent-updates";
                            } | {
                                /** @description grid column the block sits in */
                                column: number;
                                id: string;
                                placeholder?: string;
                                title?: string;
                                /** @enum {string} */
                                type: "search";
                            } | {
                                cards: {
                                    image?: {
                                        /** @description UUID */
                                        $asset: string;
                                    };
                                    target?: {
                                        /** @description Confluence content id */
                                        pageId: string;
                                        /** @enum {string} */
                                        type: "page";
                                    } | {
                                        /** @description Confluence space key */
                                        spaceKey: string;
                                        /** @enum {string} */
                                        type: "space";
                                    } | {
                                        /** @enum {string} */
                                        type: "url";
                                        url: string;
                                    };
                                    text?: string;
                                    title: string;
                                }[];
                                /** @description grid column the block sits in */
                                column: number;
                                id: string;
                                title?: string;
                                /** @enum {string} */
                                type: "cards";
                            })[];
                            footer?: {
                                links?: {
                                    label: string;
                                    openInNewTab?: boolean;
                                    target: {
                                        /** @description Confluence content id */
                                        pageId: string;
                                        /** @enum {string} */
                                        type: "page";
                                    } | {
                                        /** @description Confluence space key */
                                        spaceKey: string;
                                        /** @enum {string} */
                                        type: "space";
                                    } | {
                                        /** @enum {string} */
                                        type: "url";
                                        url: string;
                                    };
                                }[];
                                text?: string;
                            };
                            grid: {
                                columns: number;
                                maxWidth: "full" | number;
                            };
                            header: {
                                backgroundImage?: {
                                    /** @description UUID */
                                    $asset: string;
                                };
                                height: "compact" | "regular" | "tall";
                                links?: {
                                    label: string;
                                    openInNewTab?: boolean;
                                    target: {
                                        /** @description Confluence content id */
                                        pageId: string;
                                        /** @enum {string} */
                                        type: "page";
                                    } | {
                                        /** @description Confluence space key */
                                        spaceKey: string;
                                        /** @enum {string} */
                                        type: "space";
                                    } | {
                                        /** @enum {string} */
                                        type: "url";
                                        url: string;
                                    };
                                }[];
                                logo?: {
                                    /** @description UUID */
                                    $asset: string;
                                };
                                showSearch?: boolean;
                                title?: string;
                                visible: boolean;
                            };
                            navigation: {
                                items: {
                                    children?: {
                                        icon?: {
                                            /** @description UUID */
                                            $asset: string;
                                        };
                                        label: string;
                                        target: {
                                            /** @description Confluence content id */
                                            pageId: string;
                                            /** @enum {string} */
                                            type: "page";
                                        } | {
                                            /** @description Confluence space key */
                                            spaceKey: string;
                                            /** @enum {string} */
                                            type: "space";
                                        } | {
                                            /** @enum {string} */
                                            type: "url";
                                            url: string;
                                        };
                                    }[];
                                    icon?: {
                                        /** @description UUID */
                                        $asset: string;
                                    };
                                    label: string;
                                    target?: {
                                        /** @description Confluence content id */
                                        pageId: string;
                                        /** @enum {string} */
                                        type: "page";
                                    } | {
                                        /** @description Confluence space key */
                                        spaceKey: string;
                                        /** @enum {string} */
                                        type: "space";
                                    } | {
                                        /** @enum {string} */
                                        type: "url";
                                        url: string;
                                    };
                                }[];
                                position: "top" | "left";
                                style: "page-tree" | "tabs" | "mega-menu" | "none";
                            };
                            /** @enum {number} */
                            schemaVersion: 1;
                        };
                        /** Format: date-time */
                        createdAt: string;
                        /** @description UUID */
                        id: string;
                        name: string;
                        schemaVersion: number;
                        /**
                         * @description `site` or `space:<spaceKey>`
                         * @example site
                         * @example space:DOCS
                         */
                        scope: string;
                        /** Format: date-time */
                        updatedAt: string;
                        /** @description also sent as the ETag */
                        version: number;
                    };
                };
            };
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
            412: {
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
            /** @description Error */
            428: {
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
    getApiV1Settings: {
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
                        allowSpaceThemes: boolean;
                    };
                };
            };
            /** @description Error */
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
        };
    };
    putApiV1Settings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    allowSpaceThemes: boolean;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        allowSpaceThemes: boolean;
                    };
                };
            };
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
            415: {
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
            /** @description Error */
            503: {
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
    getApiV1SpacesBySpaceKeyTheme: {
        parameters: {
            query?: never;
            header?: {
                /** @description ETag(s) of the copy the client holds */
                "if-none-match"?: string;
            };
            path: {
                /** @description Confluence space key */
                spaceKey: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    /** @description digest of the answer */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        source: "space" | "default";
                        spaceKey: string;
                        /** theme document */
                        theme: {
                            /** Format: date-time */
                            createdAt: string;
                            /** @description UUID */
                            id: string;
                            images: {
                                background?: {
                                    /** @description UUID */
                                    $asset: string;
                                };
                                favicon?: {
                                    /** @description UUID */
                                    $asset: string;
                                };
                                logo?: {
                                    /** @description UUID */
                                    $asset: string;
                                };
                            };
                            isDefault: boolean;
                            name: string;
                            schemaVersion: number;
                            /**
                             * @description `site` or `space:<spaceKey>`
                             * @example site
                             * @example space:DOCS
                             */
                            scope: string;
                            /** ThemeTokensV1 */
                            tokens: {
                                colors: {
                                    accent?: string;
                                    background: string;
                                    border?: string;
                                    danger?: string;
                                    headerBackground?: string;
                                    headerText?: string;
                                    link: string;
                                    linkHover?: string;
                                    navigationBackground?: string;
                                    navigationText?: string;
                                    primary: string;
                                    secondary?: string;
                                    success?: string;
                                    surface?: string;
                                    text: string;
                                    textMuted?: string;
                                    warning?: string;
                                };
                                dark?: {
                                    accent?: string;
                                    background?: string;
                                    border?: string;
                                    danger?: string;
                                    headerBackground?: string;
                                    headerText?: string;
                                    link?: string;
                                    linkHover?: string;
                                    navigationBackground?: string;
                                    navigationText?: string;
                                    primary?: string;
                                    secondary?: string;
                                    success?: string;
                                    surface?: string;
                                    text?: string;
                                    textMuted?: string;
                                    warning?: string;
                                };
                                /** @enum {number} */
                                schemaVersion: 1;
                                spacing: {
                                    contentMaxWidthPx: "full" | number;
                                    radiusPx: number;
                                    /** @description base spacing unit */
                                    unitPx: number;
                                };
                                typography: {
                                    baseSizePx: number;
                                    bodyFont: "system-ui" | "Inter" | "Roboto" | "Open Sans" | "Lato" | "Montserrat" | "Source Sans 3" | "Noto Sans" | "IBM Plex Sans" | "Merriweather" | "Playfair Display" | "Georgia" | "Source Serif 4" | "JetBrains Mono" | "Fira Code" | "monospace";
                                    headingFont: "system-ui" | "Inter" | "Roboto" | "Open Sans" | "Lato" | "Montserrat" | "Source Sans 3" | "Noto Sans" | "IBM Plex Sans" | "Merriweather" | "Playfair Display" | "Georgia" | "Source Serif 4" | "JetBrains Mono" | "Fira Code" | "monospace";
                                    headingWeight: 400 | 500 | 600 | 700 | 800;
                                    lineHeight: number;
                                    monospaceFont?: "system-ui" | "Inter" | "Roboto" | "Open Sans" | "Lato" | "Montserrat" | "Source Sans 3" | "Noto Sans" | "IBM Plex Sans" | "Merriweather" | "Playfair Display" | "Georgia" | "Source Serif 4" | "JetBrains Mono" | "Fira Code" | "monospace";
                                };
                            };
                            /** Format: date-time */
                            updatedAt: string;
                            /** @description also sent as the ETag */
                            version: number;
                        };
                    };
                };
            };
            /** @description not modified: the ETag sent in If-None-Match is current (no body) */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
        };
    };
    putApiV1SpacesBySpaceKeyTheme: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Confluence space key */
                spaceKey: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description UUID */
                    themeId: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        spaceKey: string;
                        /** @description UUID */
                        themeId: string;
                    };
                };
            };
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
            415: {
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
    deleteApiV1SpacesBySpaceKeyTheme: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Confluence space key */
                spaceKey: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description removed (or there was none) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
    getApiV1Themes: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                /** @description `site` or `space:<spaceKey>` */
                scope?: string;
            };
            header?: {
                /** @description ETag(s) of the copy the client holds */
                "if-none-match"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    /** @description digest of the page */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** @description UUID */
                            id: string;
                            isDefault: boolean;
                            name: string;
                            schemaVersion: number;
                            scope: string;
                            /** Format: date-time */
                            updatedAt: string;
                            version: number;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description not modified: the ETag sent in If-None-Match is current (no body) */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Error */
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
            /** @description Error */
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
        };
    };
    postApiV1Themes: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    images?: {
                        background?: {
                            /** @description UUID */
                            $asset: string;
                        };
                        favicon?: {
                            /** @description UUID */
                            $asset: string;
                        };
                        logo?: {
                            /** @description UUID */
                            $asset: string;
                        };
                    };
                    name: string;
                    /**
                     * @description `site` or `space:<spaceKey>`
                     * @default site
                     * @example site
                     * @example space:DOCS
                     */
                    scope?: string;
                    /** ThemeTokensV1 */
                    tokens: {
                        colors: {
                            accent?: string;
                            background: string;
                            border?: string;
                            danger?: string;
                            headerBackground?: string;
                            headerText?: string;
                            link: string;
                            linkHover?: string;
                            navigationBackground?: string;
                            navigationText?: string;
                            primary: string;
                            secondary?: string;
                            success?: string;
                            surface?: string;
                            text: string;
                            textMuted?: string;
                            warning?: string;
                        };
                        dark?: {
                            accent?: string;
                            background?: string;
                            border?: string;
                            danger?: string;
                            headerBackground?: string;
                            headerText?: string;
                            link?: string;
                            linkHover?: string;
                            navigationBackground?: string;
                            navigationText?: string;
                            primary?: string;
                            secondary?: string;
                            success?: string;
                            surface?: string;
                            text?: string;
                            textMuted?: string;
                            warning?: string;
                        };
                        /** @enum {number} */
                        schemaVersion: 1;
                        spacing: {
                            contentMaxWidthPx: "full" | number;
                            radiusPx: number;
                            /** @description base spacing unit */
                            unitPx: number;
                        };
                        typography: {
                            baseSizePx: number;
                            bodyFont: "system-ui" | "Inter" | "Roboto" | "Open Sans" | "Lato" | "Montserrat" | "Source Sans 3" | "Noto Sans" | "IBM Plex Sans" | "Merriweather" | "Playfair Display" | "Georgia" | "Source Serif 4" | "JetBrains Mono" | "Fira Code" | "monospace";
                            headingFont: "system-ui" | "Inter" | "Roboto" | "Open Sans" | "Lato" | "Montserrat" | "Source Sans 3" | "Noto Sans" | "IBM Plex Sans" | "Merriweather" | "Playfair Display" | "Georgia" | "Source Serif 4" | "JetBrains Mono" | "Fira Code" | "monospace";
                            headingWeight: 400 | 500 | 600 | 700 | 800;
                            lineHeight: number;
                            monospaceFont?: "system-ui" | "Inter" | "Roboto" | "Open Sans" | "Lato" | "Montserrat" | "Source Sans 3" | "Noto Sans" | "IBM Plex Sans" | "Merriweather" | "Playfair Display" | "Georgia" | "Source Serif 4" | "JetBrains Mono" | "Fira Code" | "monospace";
                        };
                    };
                };
            };
        };
        responses: {
            /** @description created */
            201: {
                headers: {
                    /** @description the version, quoted (`"3-default"` for the default theme) */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        createdAt: string;
                        /** @description UUID */
                        id: string;
                        images: {
                            background?: {
                                /** @description UUID */
                                $asset: string;
                            };
                            favicon?: {
                                /** @description UUID */
                                $asset: string;
                            };
                            logo?: {
                                /** @description UUID */
                                $asset: string;
                            };
                        };
                        isDefault: boolean;
                        name: string;
                        schemaVersion: number;
                        /**
                         * @description `site` or `space:<spaceKey>`
                         * @example site
                         * @example space:DOCS
                         */
                        scope: string;
                        /** ThemeTokensV1 */
                        tokens: {
                            colors: {
                                accent?: string;
                                background: string;
                                border?: string;
                                danger?: string;
                                headerBackground?: string;
                                headerText?: string;
                                link: string;
                                linkHover?: string;
                                navigationBackground?: string;
                                navigationText?: string;
                                primary: string;
                                secondary?: string;
                                success?: string;
                                surface?: string;
                                text: string;
                                textMuted?: string;
                                warning?: string;
                            };
                            dark?: {
                                accent?: string;
                                background?: string;
                                border?: string;
                                danger?: string;
                                headerBackground?: string;
                                headerText?: string;
                                link?: string;
                                linkHover?: string;
                                navigationBackground?: string;
                                navigationText?: string;
                                primary?: string;
                                secondary?: string;
                                success?: string;
                                surface?: string;
                                text?: string;
                                textMuted?: string;
                                warning?: string;
                            };
                            /** @enum {number} */
                            schemaVersion: 1;
                            spacing: {
                                contentMaxWidthPx: "full" | number;
                                radiusPx: number;
                                /** @description base spacing unit */
                                unitPx: number;
                            };
                            typography: {
                                baseSizePx: number;
                                bodyFont: "system-ui" | "Inter" | "Roboto" | "Open Sans" | "Lato" | "Montserrat" | "Source Sans 3" | "Noto Sans" | "IBM Plex Sans" | "Merriweather" | "Playfair Display" | "Georgia" | "Source Serif 4" | "JetBrains Mono" | "Fira Code" | "monospace";
                                headingFont: "system-ui" | "Inter" | "Roboto" | "Open Sans" | "Lato" | "Montserrat" | "Source Sans 3" | "Noto Sans" | "IBM Plex Sans" | "Merriweather" | "Playfair Display" | "Georgia" | "Source Serif 4" | "JetBrains Mono" | "Fira Code" | "monospace";
                                headingWeight: 400 | 500 | 600 | 700 | 800;
                                lineHeight: number;
                                monospaceFont?: "system-ui" | "Inter" | "Roboto" | "Open Sans" | "Lato" | "Montserrat" | "Source Sans 3" | "Noto Sans" | "IBM Plex Sans" | "Merriweather" | "Playfair Display" | "Georgia" | "Source Serif 4" | "JetBrains Mono" | "Fira Code" | "monospace";
                            };
                        };
                        /** Format: date-time */
                        updatedAt: string;
                        /** @description also sent as the ETag */
                        version: number;
                    };
                };
            };
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
            413: {
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
            /** @description Error */
            415: {
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
    getApiV1ThemesById: {
        parameters: {
            query?: never;
            header?: {
                /** @description ETag(s) of the copy the client holds */
                "if-none-match"?: string;
            };
            path: {
                /** @description UUID */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the current version */
            200: {
                headers: {
                    /** @description the version, quoted (`"3-default"` for the default theme) */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        createdAt: string;
                        /** @description UUID */
                        id: string;
                        images: {
                            background?: {
                                /** @description UUID */
                                $asset: string;
                            };
                            favicon?: {
                                /** @description UUID */
                                $asset: string;
                            };
                            logo?: {
                                /** @description UUID */
                                $asset: string;
                            };
                        };
                        isDefault: boolean;
                        name: string;
                        schemaVersion: number;
                        /**
                         * @description `site` or `space:<spaceKey>`
                         * @example site
                         * @example space:DOCS
                         */
                        scope: string;
                        /** ThemeTokensV1 */
                        tokens: {
                            colors: {
                                accent?: string;
                                background: string;
                                border?: string;
                                danger?: string;
                                headerBackground?: string;
                                headerText?: string;
                                link: string;
                                linkHover?: string;
                                navigationBackground?: string;
                                navigationText?: string;
                                primary: string;
                                secondary?: string;
                                success?: string;
                                surface?: string;
                                text: string;
                                textMuted?: string;
                                warning?: string;
                            };
                            dark?: {
                                accent?: string;
                                background?: string;
                                border?: string;
                                danger?: string;
                                headerBackground?: string;
                                headerText?: string;
                                link?: string;
                                linkHover?: string;
                                navigationBackground?: string;
                                navigationText?: string;
                                primary?: string;
                                secondary?: string;
                                success?: string;
                                surface?: string;
                                text?: string;
                                textMuted?: string;
                                warning?: string;
                            };
                            /** @enum {number} */
                            schemaVersion: 1;
                            spacing: {
                                contentMaxWidthPx: "full" | number;
                                radiusPx: number;
                                /** @description base spacing unit */
                                unitPx: number;
                            };
                            typography: {
                                baseSizePx: number;
                                bodyFont: "system-ui" | "Inter" | "Roboto" | "Open Sans" | "Lato" | "Montserrat" | "Source Sans 3" | "Noto Sans" | "IBM Plex Sans" | "Merriweather" | "Playfair Display" | "Georgia" | "Source Serif 4" | "JetBrains Mono" | "Fira Code" | "monospace";
                                headingFont: "system-ui" | "Inter" | "Roboto" | "Open Sans" | "Lato" | "Montserrat" | "Source Sans 3" | "Noto Sans" | "IBM Plex Sans" | "Merriweather" | "Playfair Display" | "Georgia" | "Source Serif 4" | "JetBrains Mono" | "Fira Code" | "monospace";
                                headingWeight: 400 | 500 | 600 | 700 | 800;
                                lineHeight: number;
                                monospaceFont?: "system-ui" | "Inter" | "Roboto" | "Open Sans" | "Lato" | "Montserrat" | "Source Sans 3" | "Noto Sans" | "IBM Plex Sans" | "Merriweather" | "Playfair Display" | "Georgia" | "Source Serif 4" | "JetBrains Mono" | "Fira Code" | "monospace";
                            };
                        };
                        /** Format: date-time */
                        updatedAt: string;
                        /** @description also sent as the ETag */
                        version: number;
                    };
                };
            };
            /** @description not modified: the ETag sent in If-None-Match is current (no body) */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
        };
    };
    putApiV1ThemesById: {
        parameters: {
            query?: never;
            header?: {
                /** @description ETag of the version being replaced (required) */
                "if-match"?: string;
            };
            path: {
                /** @description UUID */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    images?: {
                        background?: {
                            /** @description UUID */
                            $asset: string;
                        };
                        favicon?: {
                            /** @description UUID */
                            $asset: string;
                        };
                        logo?: {
                            /** @description UUID */
                            $asset: string;
                        };
                    };
                    name: string;
                    /**
                     * @description `site` or `space:<spaceKey>`
                     * @default site
                     * @example site
                     * @example space:DOCS
                     */
                    scope?: string;
                    /** ThemeTokensV1 */
                    tokens: {
                        colors: {
                            accent?: string;
                            background: string;
                            border?: string;
                            danger?: string;
                            headerBackground?: string;
                            headerText?: string;
                            link: string;
                            linkHover?: string;
                            navigationBackground?: string;
                            navigationText?: string;
                            primary: string;
                            secondary?: string;
                            success?: string;
                            surface?: string;
                            text: string;
                            textMuted?: string;
                            warning?: string;
                        };
                        dark?: {
                            accent?: string;
                            background?: string;
                            border?: string;
                            danger?: string;
                            headerBackground?: string;
                            headerText?: string;
                            link?: string;
                            linkHover?: string;
                            navigationBackground?: string;
                            navigationText?: string;
                            primary?: string;
                            secondary?: string;
                            success?: string;
                            surface?: string;
                            text?: string;
                            textMuted?: string;
                            warning?: string;
                        };
                        /** @enum {number} */
                        schemaVersion: 1;
                        spacing: {
                            contentMaxWidthPx: "full" | number;
                            radiusPx: number;
                            /** @description base spacing unit */
                            unitPx: number;
                        };
                        typography: {
                            baseSizePx: number;
                            bodyFont: "system-ui" | "Inter" | "Roboto" | "Open Sans" | "Lato" | "Montserrat" | "Source Sans 3" | "Noto Sans" | "IBM Plex Sans" | "Merriweather" | "Playfair Display" | "Georgia" | "Source Serif 4" | "JetBrains Mono" | "Fira Code" | "monospace";
                            headingFont: "system-ui" | "Inter" | "Roboto" | "Open Sans" | "Lato" | "Montserrat" | "Source Sans 3" | "Noto Sans" | "IBM Plex Sans" | "Merriweather" | "Playfair Display" | "Georgia" | "Source Serif 4" | "JetBrains Mono" | "Fira Code" | "monospace";
                            headingWeight: 400 | 500 | 600 | 700 | 800;
                            lineHeight: number;
                            monospaceFont?: "system-ui" | "Inter" | "Roboto" | "Open Sans" | "Lato" | "Montserrat" | "Source Sans 3" | "Noto Sans" | "IBM Plex Sans" | "Merriweather" | "Playfair Display" | "Georgia" | "Source Serif 4" | "JetBrains Mono" | "Fira Code" | "monospace";
                        };
                    };
                };
            };
        };
        responses: {
            /** @description the new version */
            200: {
                headers: {
                    /** @description the version, quoted (`"3-default"` for the default theme) */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        createdAt: string;
                        /** @description UUID */
                        id: string;
                        images: {
                            background?: {
                                /** @description UUID */
                                $asset: string;
                            };
                            favicon?: {
                                /** @description UUID */
                                $asset: string;
                            };
                            logo?: {
                                /** @description UUID */
                                $asset: string;
                            };
                        };
                        isDefault: boolean;
                        name: string;
                        schemaVersion: number;
                        /**
                         * @description `site` or `space:<spaceKey>`
                         * @example site
                         * @example space:DOCS
                         */
                        scope: string;
                        /** ThemeTokensV1 */
                        tokens: {
                            colors: {
                                accent?: string;
                                background: string;
                                border?: string;
                                danger?: string;
                                headerBackground?: string;
                                headerText?: string;
                                link: string;
                                linkHover?: string;
                                navigationBackground?: string;
                                navigationText?: string;
                                primary: string;
                                secondary?: string;
                                success?: string;
                                surface?: string;
                                text: string;
                                textMuted?: string;
                                warning?: string;
                            };
                            dark?: {
                                accent?: string;
                                background?: string;
                                border?: string;
                                danger?: string;
                                headerBackground?: string;
                                headerText?: string;
                                link?: string;
                                linkHover?: string;
                                navigationBackground?: string;
                                navigationText?: string;
                                primary?: string;
                                secondary?: string;
                                success?: string;
                                surface?: string;
                                text?: string;
                                textMuted?: string;
                                warning?: string;
                            };
                            /** @enum {number} */
                            schemaVersion: 1;
                            spacing: {
                                contentMaxWidthPx: "full" | number;
                                radiusPx: number;
                                /** @description base spacing unit */
                                unitPx: number;
                            };
                            typography: {
                                baseSizePx: number;
                                bodyFont: "system-ui" | "Inter" | "Roboto" | "Open Sans" | "Lato" | "Montserrat" | "Source Sans 3" | "Noto Sans" | "IBM Plex Sans" | "Merriweather" | "Playfair Display" | "Georgia" | "Source Serif 4" | "JetBrains Mono" | "Fira Code" | "monospace";
                                headingFont: "system-ui" | "Inter" | "Roboto" | "Open Sans" | "Lato" | "Montserrat" | "Source Sans 3" | "Noto Sans" | "IBM Plex Sans" | "Merriweather" | "Playfair Display" | "Georgia" | "Source Serif 4" | "JetBrains Mono" | "Fira Code" | "monospace";
                                headingWeight: 400 | 500 | 600 | 700 | 800;
                                lineHeight: number;
                                monospaceFont?: "system-ui" | "Inter" | "Roboto" | "Open Sans" | "Lato" | "Montserrat" | "Source Sans 3" | "Noto Sans" | "IBM Plex Sans" | "Merriweather" | "Playfair Display" | "Georgia" | "Source Serif 4" | "JetBrains Mono" | "Fira Code" | "monospace";
                            };
                        };
                        /** Format: date-time */
                        updatedAt: string;
                        /** @description also sent as the ETag */
                        version: number;
                    };
                };
            };
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
            412: {
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
            /** @description Error */
            413: {
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
            /** @description Error */
            415: {
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
            /** @description Error */
            428: {
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
    deleteApiV1ThemesById: {
        parameters: {
            query?: never;
            header?: {
                /** @description ETag of the version being replaced (required) */
                "if-match"?: string;
            };
            path: {
                /** @description UUID */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
            412: {
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
            /** @description Error */
            428: {
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
    postApiV1ThemesByIdCopy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    scope?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        createdAt: string;
                        id: string;
                        images: {
                            background?: {
                                /** @description UUID */
                                $asset: string;
                            };
                            favicon?: {
                                /** @description UUID */
                                $asset: string;
                            };
                            logo?: {
                                /** @description UUID */
                                $asset: string;
                            };
                        };
                        isDefault: boolean;
                        name: string;
                        schemaVersion: number;
                        scope: string;
                        /** ThemeTokensV1 */
                        tokens: {
                            colors: {
                                accent?: string;
                                background: string;
                                border?: string;
                                danger?: string;
                                headerBackground?: string;
                                headerText?: string;
                                link: string;
                                linkHover?: string;
                                navigationBackground?: string;
                                navigationText?: string;
                                primary: string;
                                secondary?: string;
                                success?: string;
                                surface?: string;
                                text: string;
                                textMuted?: string;
                                warning?: string;
                            };
                            dark?: {
                                accent?: string;
                                background?: string;
                                border?: string;
                                danger?: string;
                                headerBackground?: string;
                                headerText?: string;
                                link?: string;
                                linkHover?: string;
                                navigationBackground?: string;
                                navigationText?: string;
                                primary?: string;
                                secondary?: string;
                                success?: string;
                                surface?: string;
                                text?: string;
                                textMuted?: string;
                                warning?: string;
                            };
                            /** @enum {number} */
                            schemaVersion: 1;
                            spacing: {
                                contentMaxWidthPx: "full" | number;
                                radiusPx: number;
                                /** @description base spacing unit */
                                unitPx: number;
                            };
                            typography: {
                                baseSizePx: number;
                                bodyFont: "system-ui" | "Inter" | "Roboto" | "Open Sans" | "Lato" | "Montserrat" | "Source Sans 3" | "Noto Sans" | "IBM Plex Sans" | "Merriweather" | "Playfair Display" | "Georgia" | "Source Serif 4" | "JetBrains Mono" | "Fira Code" | "monospace";
                                headingFont: "system-ui" | "Inter" | "Roboto" | "Open Sans" | "Lato" | "Montserrat" | "Source Sans 3" | "Noto Sans" | "IBM Plex Sans" | "Merriweather" | "Playfair Display" | "Georgia" | "Source Serif 4" | "JetBrains Mono" | "Fira Code" | "monospace";
                                headingWeight: 400 | 500 | 600 | 700 | 800;
                                lineHeight: number;
                                monospaceFont?: "system-ui" | "Inter" | "Roboto" | "Open Sans" | "Lato" | "Montserrat" | "Source Sans 3" | "Noto Sans" | "IBM Plex Sans" | "Merriweather" | "Playfair Display" | "Georgia" | "Source Serif 4" | "JetBrains Mono" | "Fira Code" | "monospace";
                            };
                        };
                        /** Format: date-time */
                        updatedAt: string;
                        version: number;
                    };
                };
            };
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
            415: {
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
            /** @description Error */
            503: {
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
    putApiV1ThemesByIdDefault: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID */
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
                        /** Format: date-time */
                        createdAt: string;
                        /** @description UUID */
                        id: string;
                        images: {
                            background?: {
                                /** @description UUID */
                                $asset: string;
                            };
                            favicon?: {
                                /** @description UUID */
                                $asset: string;
                            };
                            logo?: {
                                /** @description UUID */
                                $asset: string;
                            };
                        };
                        isDefault: boolean;
                        name: string;
                        schemaVersion: number;
                        /**
                         * @description `site` or `space:<spaceKey>`
                         * @example site
                         * @example space:DOCS
                         */
                        scope: string;
                        /** ThemeTokensV1 */
                        tokens: {
                            colors: {
                                accent?: string;
                                background: string;
                                border?: string;
                                danger?: string;
                                headerBackground?: string;
                                headerText?: string;
                                link: string;
                                linkHover?: string;
                                navigationBackground?: string;
                                navigationText?: string;
                                primary: string;
                                secondary?: string;
                                success?: string;
                                surface?: string;
                                text: string;
                                textMuted?: string;
                                warning?: string;
                            };
                            dark?: {
                                accent?: string;
                                background?: string;
                                border?: string;
                                danger?: string;
                                headerBackground?: string;
                                headerText?: string;
                                link?: string;
                                linkHover?: string;
                                navigationBackground?: string;
                                navigationText?: string;
                                primary?: string;
                                secondary?: string;
                                success?: string;
                                surface?: string;
                                text?: string;
                                textMuted?: string;
                                warning?: string;
                            };
                            /** @enum {number} */
                            schemaVersion: 1;
                            spacing: {
                                contentMaxWidthPx: "full" | number;
                                radiusPx: number;
                                /** @description base spacing unit */
                                unitPx: number;
                            };
                            typography: {
                                baseSizePx: number;
                                bodyFont: "system-ui" | "Inter" | "Roboto" | "Open Sans" | "Lato" | "Montserrat" | "Source Sans 3" | "Noto Sans" | "IBM Plex Sans" | "Merriweather" | "Playfair Display" | "Georgia" | "Source Serif 4" | "JetBrains Mono" | "Fira Code" | "monospace";
                                headingFont: "system-ui" | "Inter" | "Roboto" | "Open Sans" | "Lato" | "Montserrat" | "Source Sans 3" | "Noto Sans" | "IBM Plex Sans" | "Merriweather" | "Playfair Display" | "Georgia" | "Source Serif 4" | "JetBrains Mono" | "Fira Code" | "monospace";
                                headingWeight: 400 | 500 | 600 | 700 | 800;
                                lineHeight: number;
                                monospaceFont?: "system-ui" | "Inter" | "Roboto" | "Open Sans" | "Lato" | "Montserrat" | "Source Sans 3" | "Noto Sans" | "IBM Plex Sans" | "Merriweather" | "Playfair Display" | "Georgia" | "Source Serif 4" | "JetBrains Mono" | "Fira Code" | "monospace";
                            };
                        };
                        /** Format: date-time */
                        updatedAt: string;
                        /** @description also sent as the ETag */
                        version: number;
                    };
                };
            };
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
    getApiV1ThemesByIdExport: {
        parameters: {
            query?: {
                images?: "reference" | "inline";
            };
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
                        assets: {
                            /** Format: byte */
                            data?: string;
                            height?: number | null;
                            id: string;
                            mediaType: string;
                            sha256: string;
                            size: number;
                            width?: number | null;
                        }[];
                        /** @enum {string} */
                        format: "refined-toolkit/theme";
                        /** @enum {number} */
                        formatVersion: 1;
                        theme: {
                            images: {
                                background?: {
                                    /** @description UUID */
                                    $asset: string;
                                };
                                favicon?: {
                                    /** @description UUID */
                                    $asset: string;
                                };
                                logo?: {
                                    /** @description UUID */
                                    $asset: string;
                                };
                            };
                            name: string;
                            scope: string;
                            /** ThemeTokensV1 */
                            tokens: {
                                colors: {
                                    accent?: string;
                                    background: string;
                                    border?: string;
                                    danger?: string;
                                    headerBackground?: string;
                                    headerText?: string;
                                    link: string;
                                    linkHover?: string;
                                    navigationBackground?: string;
                                    navigationText?: string;
                                    primary: string;
                                    secondary?: string;
                                    success?: string;
                                    surface?: string;
                                    text: string;
                                    textMuted?: string;
                                    warning?: string;
                                };
                                dark?: {
                                    accent?: string;
                                    background?: string;
                                    border?: string;
                                    danger?: string;
                                    headerBackground?: string;
                                    headerText?: string;
                                    link?: string;
                                    linkHover?: string;
                                    navigationBackground?: string;
                                    navigationText?: string;
                                    primary?: string;
                                    secondary?: string;
                                    success?: string;
                                    surface?: string;
                                    text?: string;
                                    textMuted?: string;
                                    warning?: string;
                                };
                                /** @enum {number} */
                                schemaVersion: 1;
                                spacing: {
                                    contentMaxWidthPx: "full" | number;
                                    radiusPx: number;
                                    /** @description base spacing unit */
                                    unitPx: number;
                                };
                                typography: {
                                    baseSizePx: number;
                                    bodyFont: "system-ui" | "Inter" | "Roboto" | "Open Sans" | "Lato" | "Montserrat" | "Source Sans 3" | "Noto Sans" | "IBM Plex Sans" | "Merriweather" | "Playfair Display" | "Georgia" | "Source Serif 4" | "JetBrains Mono" | "Fira Code" | "monospace";
                                    headingFont: "system-ui" | "Inter" | "Roboto" | "Open Sans" | "Lato" | "Montserrat" | "Source Sans 3" | "Noto Sans" | "IBM Plex Sans" | "Merriweather" | "Playfair Display" | "Georgia" | "Source Serif 4" | "JetBrains Mono" | "Fira Code" | "monospace";
                                    headingWeight: 400 | 500 | 600 | 700 | 800;
                                    lineHeight: number;
                                    monospaceFont?: "system-ui" | "Inter" | "Roboto" | "Open Sans" | "Lato" | "Montserrat" | "Source Sans 3" | "Noto Sans" | "IBM Plex Sans" | "Merriweather" | "Playfair Display" | "Georgia" | "Source Serif 4" | "JetBrains Mono" | "Fira Code" | "monospace";
                                };
                            };
                        };
                    };
                };
            };
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
        };
    };
    getApiV1ThemesByIdRevisions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID */
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
                        items: {
                            /** Format: date-time */
                            createdAt: string;
                            name: string;
                            schemaVersion: number;
                            scope: string;
                            version: number;
                        }[];
                    };
                };
            };
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
        };
    };
    postApiV1ThemesByIdRevisionsByVersionRestore: {
        parameters: {
            query?: never;
            header?: {
                /** @description ETag of the version being replaced (required) */
                "if-match"?: string;
            };
            path: {
                /** @description UUID */
                id: string;
                version: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the new version */
            200: {
                headers: {
                    /** @description the version, quoted (`"3-default"` for the default theme) */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        createdAt: string;
                        /** @description UUID */
                        id: string;
                        images: {
                            background?: {
                                /** @description UUID */
                                $asset: string;
                            };
                            favicon?: {
                                /** @description UUID */
                                $asset: string;
                            };
                            logo?: {
                                /** @description UUID */
                                $asset: string;
                            };
                        };
                        isDefault: boolean;
                        name: string;
                        schemaVersion: number;
                        /**
                         * @description `site` or `space:<spaceKey>`
                         * @example site
                         * @example space:DOCS
                         */
                        scope: string;
                        /** ThemeTokensV1 */
                        tokens: {
                            colors: {
                                accent?: string;
                                background: string;
                                border?: string;
                                danger?: string;
                                headerBackground?: string;
                                headerText?: string;
                                link: string;
                                linkHover?: string;
                                navigationBackground?: string;
                                navigationText?: string;
                                primary: string;
                                secondary?: string;
                                success?: string;
                                surface?: string;
                                text: string;
                                textMuted?: string;
                                warning?: string;
                            };
                            dark?: {
                                accent?: string;
                                background?: string;
                                border?: string;
                                danger?: string;
                                headerBackground?: string;
                                headerText?: string;
                                link?: string;
                                linkHover?: string;
                                navigationBackground?: string;
                                navigationText?: string;
                                primary?: string;
                                secondary?: string;
                                success?: string;
                                surface?: string;
                                text?: string;
                                textMuted?: string;
                                warning?: string;
                            };
                            /** @enum {number} */
                            schemaVersion: 1;
                            spacing: {
                                contentMaxWidthPx: "full" | number;
                                radiusPx: number;
                                /** @description base spacing unit */
                                unitPx: number;
                            };
                            typography: {
                                baseSizePx: number;
                                bodyFont: "system-ui" | "Inter" | "Roboto" | "Open Sans" | "Lato" | "Montserrat" | "Source Sans 3" | "Noto Sans" | "IBM Plex Sans" | "Merriweather" | "Playfair Display" | "Georgia" | "Source Serif 4" | "JetBrains Mono" | "Fira Code" | "monospace";
                                headingFont: "system-ui" | "Inter" | "Roboto" | "Open Sans" | "Lato" | "Montserrat" | "Source Sans 3" | "Noto Sans" | "IBM Plex Sans" | "Merriweather" | "Playfair Display" | "Georgia" | "Source Serif 4" | "JetBrains Mono" | "Fira Code" | "monospace";
                                headingWeight: 400 | 500 | 600 | 700 | 800;
                                lineHeight: number;
                                monospaceFont?: "system-ui" | "Inter" | "Roboto" | "Open Sans" | "Lato" | "Montserrat" | "Source Sans 3" | "Noto Sans" | "IBM Plex Sans" | "Merriweather" | "Playfair Display" | "Georgia" | "Source Serif 4" | "JetBrains Mono" | "Fira Code" | "monospace";
                            };
                        };
                        /** Format: date-time */
                        updatedAt: string;
                        /** @description also sent as the ETag */
                        version: number;
                    };
                };
            };
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
            412: {
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
            /** @description Error */
            428: {
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
    postApiV1ThemesImport: {
        parameters: {
            query?: {
                scope?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    assets: {
                        /** Format: byte */
                        data?: string;
                        height?: number | null;
                        id: string;
                        mediaType: string;
                        sha256: string;
                        size: number;
                        width?: number | null;
                    }[];
                    /** @enum {string} */
                    format: "refined-toolkit/theme";
                    /** @enum {number} */
                    formatVersion: 1;
                    theme: {
                        images: {
                            background?: {
                                /** @description UUID */
                                $asset: string;
                            };
                            favicon?: {
                                /** @description UUID */
                                $asset: string;
                            };
                            logo?: {
                                /** @description UUID */
                                $asset: string;
                            };
                        };
                        name: string;
                        scope: string;
                        /** ThemeTokensV1 */
                        tokens: {
                            colors: {
                                accent?: string;
                                background: string;
                                border?: string;
                                danger?: string;
                                headerBackground?: string;
                                headerText?: string;
                                link: string;
                                linkHover?: string;
                                navigationBackground?: string;
                                navigationText?: string;
                                primary: string;
                                secondary?: string;
                                success?: string;
                                surface?: string;
                                text: string;
                                textMuted?: string;
                                warning?: string;
                            };
                            dark?: {
                                accent?: string;
                                background?: string;
                                border?: string;
                                danger?: string;
                                headerBackground?: string;
                                headerText?: string;
                                link?: string;
                                linkHover?: string;
                                navigationBackground?: string;
                                navigationText?: string;
                                primary?: string;
                                secondary?: string;
                                success?: string;
                                surface?: string;
                                text?: string;
                                textMuted?: string;
                                warning?: string;
                            };
                            /** @enum {number} */
                            schemaVersion: 1;
                            spacing: {
                                contentMaxWidthPx: "full" | number;
                                radiusPx: number;
                                /** @description base spacing unit */
                                unitPx: number;
                            };
                            typography: {
                                baseSizePx: number;
                                bodyFont: "system-ui" | "Inter" | "Roboto" | "Open Sans" | "Lato" | "Montserrat" | "Source Sans 3" | "Noto Sans" | "IBM Plex Sans" | "Merriweather" | "Playfair Display" | "Georgia" | "Source Serif 4" | "JetBrains Mono" | "Fira Code" | "monospace";
                                headingFont: "system-ui" | "Inter" | "Roboto" | "Open Sans" | "Lato" | "Montserrat" | "Source Sans 3" | "Noto Sans" | "IBM Plex Sans" | "Merriweather" | "Playfair Display" | "Georgia" | "Source Serif 4" | "JetBrains Mono" | "Fira Code" | "monospace";
                                headingWeight: 400 | 500 | 600 | 700 | 800;
                                lineHeight: number;
                                monospaceFont?: "system-ui" | "Inter" | "Roboto" | "Open Sans" | "Lato" | "Montserrat" | "Source Sans 3" | "Noto Sans" | "IBM Plex Sans" | "Merriweather" | "Playfair Display" | "Georgia" | "Source Serif 4" | "JetBrains Mono" | "Fira Code" | "monospace";
                            };
                        };
                    };
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        createdAt: string;
                        id: string;
                        images: {
                            background?: {
                                /** @description UUID */
                                $asset: string;
                            };
                            favicon?: {
                                /** @description UUID */
                                $asset: string;
                            };
                            logo?: {
                                /** @description UUID */
                                $asset: string;
                            };
                        };
                        isDefault: boolean;
                        name: string;
                        schemaVersion: number;
                        scope: string;
                        /** ThemeTokensV1 */
                        tokens: {
                            colors: {
                                accent?: string;
                                background: string;
                                border?: string;
                                danger?: string;
                                headerBackground?: string;
                                headerText?: string;
                                link: string;
                                linkHover?: string;
                                navigationBackground?: string;
                                navigationText?: string;
                                primary: string;
                                secondary?: string;
                                success?: string;
                                surface?: string;
                                text: string;
                                textMuted?: string;
                                warning?: string;
                            };
                            dark?: {
                                accent?: string;
                                background?: string;
                                border?: string;
                                danger?: string;
                                headerBackground?: string;
                                headerText?: string;
                                link?: string;
                                linkHover?: string;
                                navigationBackground?: string;
                                navigationText?: string;
                                primary?: string;
                                secondary?: string;
                                success?: string;
                                surface?: string;
                                text?: string;
                                textMuted?: string;
                                warning?: string;
                            };
                            /** @enum {number} */
                            schemaVersion: 1;
                            spacing: {
                                contentMaxWidthPx: "full" | number;
                                radiusPx: number;
                                /** @description base spacing unit */
                                unitPx: number;
                            };
                            typography: {
                                baseSizePx: number;
                                bodyFont: "system-ui" | "Inter" | "Roboto" | "Open Sans" | "Lato" | "Montserrat" | "Source Sans 3" | "Noto Sans" | "IBM Plex Sans" | "Merriweather" | "Playfair Display" | "Georgia" | "Source Serif 4" | "JetBrains Mono" | "Fira Code" | "monospace";
                                headingFont: "system-ui" | "Inter" | "Roboto" | "Open Sans" | "Lato" | "Montserrat" | "Source Sans 3" | "Noto Sans" | "IBM Plex Sans" | "Merriweather" | "Playfair Display" | "Georgia" | "Source Serif 4" | "JetBrains Mono" | "Fira Code" | "monospace";
                                headingWeight: 400 | 500 | 600 | 700 | 800;
                                lineHeight: number;
                                monospaceFont?: "system-ui" | "Inter" | "Roboto" | "Open Sans" | "Lato" | "Montserrat" | "Source Sans 3" | "Noto Sans" | "IBM Plex Sans" | "Merriweather" | "Playfair Display" | "Georgia" | "Source Serif 4" | "JetBrains Mono" | "Fira Code" | "monospace";
                            };
                        };
                        /** Format: date-time */
                        updatedAt: string;
                        version: number;
                    };
                };
            };
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
            413: {
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
            /** @description Error */
            415: {
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
            /** @description Error */
            503: {
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
    getOpsV1Audit: {
        parameters: {
            query?: {
                /** @description action prefix */
                action?: string;
                /** @description id cursor */
                before?: string;
                limit?: number;
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            query?: {
                clientKey?: string;
                limit?: number;
                state?: "pending" | "running" | "done" | "cancelled";
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
                            receipt: {
                                attempts: number;
                                clientKey: string;
                                /** Format: date-time */
                                completedAt?: string;
                                /** Format: date-time */
                                dueAt: string;
                                reason: string;
                                regions: {
                                    [key: string]: {
                                        done: boolean;
                                        objects: number;
                                        rows: number;
                                        tables: {
                                            [key: string]: number;
                                        };
                                    };
                                };
                                /** Format: date-time */
                                startedAt: string;
                                /** Format: date-time */
                                uninstalledAt: string;
                            } | null;
                            startedAt: string | null;
                            state: "pending" | "running" | "done" | "cancelled";
                            /** Format: uuid */
                            tenantId: string;
                            /** Format: date-time */
                            uninstalledAt: string;
                        }[];
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
    getOpsV1DeletionsById: {
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
                        receipt: {
                            attempts: number;
                            clientKey: string;
                            /** Format: date-time */
                            completedAt?: string;
                            /** Format: date-time */
                            dueAt: string;
                            reason: string;
                            regions: {
                                [key: string]: {
                                    done: boolean;
                                    objects: number;
                                    rows: number;
                                    tables: {
                                        [key: string]: number;
                                    };
                                };
                            };
                            /** Format: date-time */
                            startedAt: string;
                            /** Format: date-time */
                            uninstalledAt: string;
                        } | null;
                        startedAt: string | null;
                        state: "pending" | "running" | "done" | "cancelled";
                        /** Format: uuid */
                        tenantId: string;
                        /** Format: date-time */
                        uninstalledAt: string;
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
        };
    };
    getOpsV1Migrations: {
        parameters: {
            query?: {
                clientKey?: string;
                limit?: number;
                state?: "scheduled" | "pre_copying" | "frozen" | "copying" | "verifying" | "ready_to_commit" | "committed" | "failed" | "rolled_back" | "cancelled";
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            query?: {
                /** @description clientKey cursor */
                after?: string;
                limit?: number;
                region?: string;
                state?: "active" | "disabled" | "uninstalled" | "deleted";
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
            /** @description Error */
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
                            receipt: {
                                attempts: number;
                                clientKey: string;
                                /** Format: date-time */
                                completedAt?: string;
                                /** Format: date-time */
                                dueAt: string;
                                reason: string;
                                regions: {
                                    [key: string]: {
                                        done: boolean;
                                        objects: number;
                                        rows: number;
                                        tables: {
                                            [key: string]: number;
                                        };
                                    };
                                };
                                /** Format: date-time */
                                startedAt: string;
                                /** Format: date-time */
                                uninstalledAt: string;
                            } | null;
                            startedAt: string | null;
                            state: "pending" | "running" | "done" | "cancelled";
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
        };
    };
}
